package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator targets and the published policy live through a real stop and start of the controller process. */
class ControllerRestartTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    private static final String TARGETS = "{\"maxOverhead\":0.02,\"samplesPerMinute\":300,\"minFrequencyHz\":19,"
            + "\"maxFrequencyHz\":49,\"minFraction\":0.01}";

    @TempDir
    Path work;

    /** Whatever the test stored opens in FlameScope. */
    @AfterEach
    void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    @Test
    void targetsAndPolicySurviveARestart() throws Exception {
        int port = Http.freePort();
        Map<String, Object> policyBefore;
        try (ControllerProcess c = start(port)) {
            HttpResponse<String> put = Http.send("PUT", c.url.resolve("/v1/targets/pi"), TARGETS);
            assertEquals(2, put.statusCode() / 100, put.body());
            HttpResponse<String> bad = Http.send("PUT", c.url.resolve("/v1/targets/pi"), TARGETS.replace("0.02", "-1"));
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("maxOverhead"), bad.body());
            policyBefore = policy(c.url);
            assertTrue(
                    ((Double) policyBefore.get("frequencyHz")) <= 49, "policy within the new targets: " + policyBefore);
        }
        try (ControllerProcess c = start(port)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> targets = (Map<String, Object>) Http.getJson(c.url.resolve("/v1/targets/pi"));
            assertEquals(0.02, (Double) targets.get("maxOverhead"), 1e-12, targets.toString());
            assertEquals(49.0, (Double) targets.get("maxFrequencyHz"), targets.toString());
            assertEquals(300.0, (Double) targets.get("samplesPerMinute"), targets.toString());
            Map<String, Object> policyAfter = policy(c.url);
            assertEquals(policyBefore.get("fraction"), policyAfter.get("fraction"));
            assertEquals(policyBefore.get("frequencyHz"), policyAfter.get("frequencyHz"));
            assertEquals(policyBefore.get("version"), policyAfter.get("version"));
        }
    }

    private ControllerProcess start(int port) throws Exception {
        return ControllerProcess.start(
                PROJECT,
                port,
                work.resolve("stacks"),
                Map.of("perfaas.data-dir", work.resolve("data").toString()),
                work.resolve("controller-" + System.nanoTime() + ".log"));
    }

    private static Map<String, Object> policy(URI controller) throws Exception {
        return Json.parseObject(
                Http.get(controller.resolve("/v1/policy/pi?instance=i-1")).body());
    }
}
