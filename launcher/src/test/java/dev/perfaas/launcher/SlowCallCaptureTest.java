package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-call capture with real parts: the controller jar and examples/checkout served by the
 * template's run.sh and runtime. The operator sets a 500 ms threshold; five calls stall 1.5 s among
 * a hundred fast ones, each with its X-Call-Id as the gateway sends it. The rate limit (burst 2,
 * one a minute) keeps two: the first two stalls', whose profiles show the stalling frame; no fast
 * call is ever captured.
 */
class SlowCallCaptureTest {
    private static final Project PROJECT = new Project(Path.of(".."));

    @TempDir
    Path work;

    /** Whatever the test stored opens in FlameScope. */
    @AfterEach
    void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void stallsAreCapturedWithinTheRateAndFastCallsNever() throws Exception {
        try (ControllerProcess controller = ControllerProcess.start(
                PROJECT,
                Http.freePort(),
                work.resolve("stacks"),
                Map.of(
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.policy.window-seconds", "2",
                        "perfaas.policy.refresh-seconds", "1",
                        "perfaas.slow-calls.burst", "2"),
                work.resolve("controller.log"))) {
            HttpResponse<String> put = Http.send("PUT", controller.url.resolve("/v1/targets/checkout"), """
                    {"maxOverhead":0.05,"samplesPerMinute":600,"minFrequencyHz":19,"maxFrequencyHz":997,
                     "minFraction":0.001,"slowCallMillis":500}""");
            assertEquals(200, put.statusCode(), put.body());
            Path context =
                    FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/checkout"), work.resolve("context"));
            try (FunctionProcess checkout = FunctionProcess.start(
                    "checkout",
                    context,
                    Http.freePort(),
                    controller.url,
                    Map.of("PERFAAS_INSTANCE", "checkout-1"),
                    work.resolve("checkout.log"))) {
                // The hook polls its policy every second: fast calls for three give it the threshold.
                long warm = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                for (int i = 0; System.nanoTime() < warm; i++) {
                    call(checkout.url, "warm-" + i, 0);
                }
                for (int round = 1; round <= 5; round++) {
                    for (int i = 0; i < 20; i++) {
                        call(checkout.url, "fast-" + round + "-" + i, 0);
                    }
                    call(checkout.url, "slow-" + round, 1_500);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (listed(controller.url).size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            } // SIGTERM: the hook sends what it holds

            List<Object> slow = listed(controller.url);
            assertEquals(2, slow.size(), "the burst of 2 and nothing more: " + slow);
            for (Object o : slow) {
                Map<String, Object> call = (Map<String, Object>) o;
                assertTrue(List.of("slow-1", "slow-2").contains(call.get("callId")), "the first two stalls: " + call);
                assertTrue(((Number) call.get("latencyMillis")).doubleValue() >= 1_500, call.toString());
                assertEquals(500, ((Number) call.get("thresholdMillis")).intValue());
                assertEquals(true, call.get("ended"));
                String profile = Files.readString(work.resolve("stacks").resolve((String) call.get("path")));
                assertTrue(profile.contains("com.openfaas.function.Handler.awaitInventoryService"), profile);
                assertTrue(profile.contains("java.lang.Thread.sleep"), profile);
                assertTrue(!profile.contains("fast-"), "no fast call's id");
            }
            Map<String, Object> detail =
                    (Map<String, Object>) Http.getJson(controller.url.resolve("/v1/functions/checkout"));
            assertEquals(2, ((List<Object>) detail.get("slowCalls")).size());
            assertEquals("targets", ((Map<String, Object>) detail.get("slowCallThreshold")).get("source"));
        }
    }

    private static void call(URI function, String callId, long stallMs) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(function.resolve("/?stallMs=" + stallMs))
                .header("X-Call-Id", callId)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> res = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listed(URI controller) throws Exception {
        return (List<Object>) Http.getJson(controller.resolve("/v1/profiles/checkout/slow"));
    }
}
