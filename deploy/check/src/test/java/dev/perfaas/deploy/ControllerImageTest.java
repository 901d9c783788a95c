package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The controller image is Quarkus's JVM layout of the controller, on the controller's port. */
class ControllerImageTest {
    @Test
    void copiesTheWholeQuarkusApp() throws Exception {
        String text = ControllerImage.text();
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(
                    text.contains("COPY controller/target/quarkus-app/" + part + " "),
                    "does not copy quarkus-app/" + part);
        }
        assertTrue(text.contains("\"-jar\", \"/deployments/quarkus-run.jar\""), "should start quarkus-run.jar");
    }

    /** The heap RSS was measured with (BENCHMARKS.md section 3), at the limit Kubernetes enforces. */
    @Test
    void heapLeavesRoomUnderTheManifestsMemoryLimit() throws Exception {
        Matcher percent = Pattern.compile("\"-XX:MaxRAMPercentage=(\\d+)\"").matcher(ControllerImage.text());
        assertTrue(percent.find(), "the ENTRYPOINT should bound the heap with -XX:MaxRAMPercentage");
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>)
                ((Map<String, Object>) Kube.container(Kube.object("Deployment", "perfaas-controller"))
                                .get("resources"))
                        .get("limits");
        String memory = (String) limits.get("memory");
        assertTrue(memory.endsWith("Mi"), memory);
        long heapMi = Long.parseLong(memory.replace("Mi", "")) * Integer.parseInt(percent.group(1)) / 100;
        assertEquals(256, heapMi, "heap at the manifest's limit of " + memory);
    }

    @Test
    void exposesTheControllersPortAsANonRootUser() throws Exception {
        assertTrue(ControllerImage.text().contains("\nEXPOSE " + Tree.controllerPort() + "\n"));
        assertNotEquals(0, ControllerImage.uid());
    }

    @Test
    void makesEveryDirectoryTheControllerWritesWhereTheManifestsMountVolumes() throws Exception {
        Map<String, String> image = Tree.dockerfileEnv(ControllerImage.DOCKERFILE);
        Map<String, Object> container = Kube.container(Kube.object("Deployment", "perfaas-controller"));
        for (String variable : CodeDefaults.controllerDirectoryVariables()) {
            String dir = image.get(variable);
            assertEquals(Kube.env(container, variable), dir, variable);
            // created and given to the image's user, so a plain `docker run` can write there too
            assertTrue(
                    ControllerImage.text()
                            .matches("(?s).*mkdir -p [^\n]*" + dir + "[^\n]*chown perfaas:perfaas [^\n]*" + dir + ".*"),
                    dir);
        }
    }
}
