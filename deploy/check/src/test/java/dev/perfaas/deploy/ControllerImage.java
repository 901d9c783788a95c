package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/controller.Dockerfile, which the manifests and faasd's services run. */
final class ControllerImage {
    static final Path DOCKERFILE = Tree.path("deploy/controller.Dockerfile");

    private ControllerImage() {}

    static String text() throws IOException {
        return Files.readString(DOCKERFILE);
    }

    /** The numeric user the image runs as. */
    static int uid() throws IOException {
        Matcher m = Pattern.compile("(?m)^USER (\\d+)$").matcher(text());
        assertTrue(m.find(), "the controller image should run as a numeric, non-root USER");
        return Integer.parseInt(m.group(1));
    }
}
