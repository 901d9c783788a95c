package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two templates' images of one handler: java17-perfaas carries no perf (the in-process engines
 * need none), java17-perfaas-perf carries a perf that runs, and both ship the same base and Java
 * runtime layers (one Dockerfile; only ship-packages differs), so a node that runs both pulls them once.
 */
class TemplateImagesTest {
    /** Per test, so that without Docker each test is reported skipped. */
    @BeforeEach
    void docker() {
        DockerEngine.assumeRunning();
    }

    @Test
    void theDefaultImageHasNoPerf() throws Exception {
        Docker.Result perf = shell(Images.function(), "command -v perf");
        assertFalse(perf.ok(), "java17-perfaas's image has a perf: " + perf.output());
        assertTrue(shell(Images.function(), "java -version").ok(), "the image's Java runtime runs");
    }

    @Test
    void thePerfVariantHasAPerfThatRuns() throws Exception {
        Docker.Result perf = shell(Images.perfFunction(), "perf --version");
        assertTrue(perf.ok(), "java17-perfaas-perf's perf: " + perf.output());
        assertTrue(perf.output().startsWith("perf version "), perf.output());
    }

    @Test
    void bothShareTheBaseAndJavaRuntimeLayers() throws Exception {
        List<String> plain = layers(Images.function());
        List<String> perf = layers(Images.perfFunction());
        assertEquals(plain.subList(0, 2), perf.subList(0, 2), "the base and /opt/java layers");
        assertTrue(shell(Images.perfFunction(), "test -x /opt/java/bin/java").ok());
    }

    private static List<String> layers(String image) {
        return List.of(Docker.ok("image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", image)
                .split(" "));
    }

    private static Docker.Result shell(String image, String command) {
        return Docker.run(
                Docker.SHORT,
                List.of(
                        "run",
                        "--rm",
                        "--network",
                        "none",
                        "--label",
                        Container.LABEL,
                        "--entrypoint",
                        "sh",
                        image,
                        "-c",
                        command));
    }
}
