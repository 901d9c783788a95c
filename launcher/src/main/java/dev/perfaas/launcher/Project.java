package dev.perfaas.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where things are in a perfaas checkout. */
public record Project(Path root) {
    static final String TEMPLATE = "java17-perfaas";

    public Project {
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("templates"))) {
            throw new IllegalArgumentException(root + " is not a perfaas checkout (no pom.xml and templates/)");
        }
    }

    public Path controllerJar() {
        return root.resolve("controller/target/quarkus-app/quarkus-run.jar");
    }

    /** The node agent's classes and the jars beside them, as its module's build leaves them. */
    public String agentClasspath() {
        Path module = root.resolve("trace-hooks/host/target");
        return module.resolve("classes") + java.io.File.pathSeparator + module.resolve("lib") + "/*";
    }

    public Path template() {
        return template(TEMPLATE);
    }

    /** A template by its name: java17-perfaas, or java17-perfaas-perf (the same with linux-perf in the image). */
    public Path template(String name) {
        return root.resolve("templates").resolve(name);
    }

    /** The example handler folders under examples/, by name. */
    List<Path> examples() throws java.io.IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root.resolve("examples"))) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().forEach(out::add);
        }
        return out;
    }
}
