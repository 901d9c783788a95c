package dev.perfaas.containers;

import dev.perfaas.launcher.Project;
import java.nio.file.Path;

/** The perfaas checkout under test. */
final class Checkout {
    static final Project PROJECT = new Project(Path.of(System.getProperty("perfaas.root", "../..")));

    private Checkout() {}

    static Path path(String relative) {
        return PROJECT.root().resolve(relative);
    }
}
