package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function image, built from a faas-cli-style build context with the template's Dockerfile, in
 * containers beside the controller image: it serves under Docker's default seccomp profile, its
 * reports reach the controller, and it is profiled, in-process under the default profile and, in the
 * java17-perfaas-perf template's image, with perf under deploy/seccomp/perf.json. Each function name
 * has its own counts and profile folder.
 */
class FunctionContainerTest {
    /** Trace every invocation at 499 Hz: a short run is sure to hold samples. */
    private static final String TRACE_EVERYTHING = "{\"maxOverhead\":0.5,\"samplesPerMinute\":100000,"
            + "\"minFrequencyHz\":499,\"maxFrequencyHz\":499,\"minFraction\":1.0}";

    private static final int REQUESTS = 200;
    /** About 4 ms of CPU per request here: 200 of them take a second or two. */
    private static final String PI = "/?terms=2000000";

    private static final List<String> PERF_SECCOMP =
            List.of("--security-opt", "seccomp=" + Checkout.path("deploy/seccomp/perf.json"));

    private static final Duration REPORTED = Duration.ofSeconds(60);
    private static final Duration PROFILED = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static ControllerContainer controller;

    /** Per test, so that without Docker each test is reported skipped; the controller is shared. */
    @BeforeEach
    void controllerTracingEverything() throws Exception {
        DockerEngine.assumeRunning();
        if (controller != null) {
            return;
        }
        controller = ControllerContainer.start(work.resolve("controller"), ControllerContainer.SHORT_WINDOWS);
        // As an operator would: the default targets of every function, through the API.
        ControllerApi.putTargets(controller.url, "_default", TRACE_EVERYTHING);
    }

    @AfterAll
    static void stopController() {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void underDockersDefaultSeccompItRunsAsNonRootAnswersEveryRequestAndReports() throws Exception {
        try (FunctionContainer pi = FunctionContainer.start("pi", controller.url, List.of(), Map.of())) {
            assertEquals("app", pi.container.inspect("{{.Config.User}}"), "the image's USER");
            assertNotEquals(
                    "0",
                    pi.container.exec("stat", "-c", "%u", "/proc/1"),
                    "the function's process must not run as root");
            assertEquals("[]", pi.container.inspect("{{.HostConfig.SecurityOpt}}"), "Docker's default seccomp profile");
            assertTrue(
                    pi.container.exec("grep", "^Seccomp:", "/proc/1/status").endsWith("2"), "a seccomp filter applies");
            assertEquals("[]", pi.container.inspect("{{.HostConfig.CapAdd}}"), "no added capability");
            assertEquals("true", pi.container.inspect("{{.HostConfig.ReadonlyRootfs}}"));

            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> r = Http.get(pi.url.resolve(PI));
                assertEquals(200, r.statusCode(), "request " + i + ": " + r.body() + "\n" + pi.container.logTail());
                assertTrue(r.body().startsWith("pi ~ 3.14"), r.body());
            }
            await().atMost(REPORTED).until(() -> ControllerApi.count(controller.url, "pi", "invocations") == REQUESTS);
        }
    }

    /**
     * Needs the in-process engine (issue 10): perf_event_open is denied under Docker's default profile.
     * async-profiler must load its library with /tmp mounted noexec, as Docker's tmpfs mounts it.
     */
    @Test
    void underDockersDefaultSeccompItIsProfiledInProcess() throws Exception {
        String fn = "pi-default-seccomp";
        try (FunctionContainer pi = FunctionContainer.start(fn, controller.url, List.of(), Map.of())) {
            invokeUntilProfiled(pi, fn);
            assertEngine(pi, fn, "async");
        }
    }

    /** The java17-perfaas-perf template's image: the one that carries perf. */
    @Test
    void withThePerfSeccompProfileThePerfVariantIsProfiledWithPerf() throws Exception {
        String fn = "pi-perf";
        try (FunctionContainer pi = FunctionContainer.start(
                Images.perfFunction(), fn, controller.url, PERF_SECCOMP, Map.of("PERFAAS_ENGINE", "perf"))) {
            invokeUntilProfiled(pi, fn);
            assertEngine(pi, fn, "perf");
        }
    }

    /** java17-perfaas's image has no perf: pinned to perf, the function is profiled in process and says why. */
    @Test
    void theDefaultImagePinnedToPerfIsProfiledInProcessAndSaysWhereIsPerf() throws Exception {
        String fn = "pi-no-perf";
        try (FunctionContainer pi =
                FunctionContainer.start(fn, controller.url, PERF_SECCOMP, Map.of("PERFAAS_ENGINE", "perf"))) {
            invokeUntilProfiled(pi, fn);
            assertEngine(pi, fn, "async");
            String refused = String.valueOf(engine(fn).get("refused"));
            assertTrue(refused.contains("cannot run 'perf'") && refused.contains("java17-perfaas-perf"), refused);
            assertTrue(pi.container.logTail().contains("java17-perfaas-perf"), "the function's log says it too");
        }
    }

    /**
     * The engine's load held back by PERFAAS_TEST_ENGINE_DELAY_MS (a test-only setting): the function
     * answers its cold request and the ones after it while the engine loads, and is profiled once it
     * has loaded. The hook logs when the held-back load begins and when it is done; the requests are
     * answered in between (the delay is far longer than they take).
     */
    @Test
    void itAnswersWhileTheEngineLoadsAndIsProfiledOnceLoaded() throws Exception {
        String fn = "pi-engine-delayed";
        try (FunctionContainer pi = FunctionContainer.start(
                fn, controller.url, List.of(), Map.of("PERFAAS_TEST_ENGINE_DELAY_MS", "45000"))) {
            HttpResponse<String> cold = Http.get(pi.url.resolve(PI));
            assertEquals(200, cold.statusCode(), cold.body() + "\n" + pi.container.logTail());
            // The cold invocation's end starts the hook's threads, and the window thread the engine's load.
            await().atMost(REPORTED).until(() -> pi.container.logTail().contains("the engine loads 45000 ms late"));
            for (int i = 0; i < 20; i++) {
                assertEquals(
                        200, Http.get(pi.url.resolve(PI)).statusCode(), "request " + i + " while the engine loads");
            }
            assertFalse(
                    pi.container.logTail().contains("the engine's load is done"),
                    "the requests were answered while the engine loaded:\n" + pi.container.logTail());
            invokeUntilProfiled(pi, fn);
            assertTrue(pi.container.logTail().contains("the engine's load is done"), pi.container.logTail());
            assertEngine(pi, fn, "async");
        }
    }

    /** The report that names the engine may land after the profile it sampled: invokes until it has. */
    private static void assertEngine(FunctionContainer pi, String fn, String expected) throws Exception {
        try {
            await().atMost(REPORTED).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertEquals(200, Http.get(pi.url.resolve(PI)).statusCode());
                return expected.equals(engine(fn).get("running"));
            });
        } catch (ConditionTimeoutException e) {
            fail("engine of " + fn + " is not " + expected + " within " + REPORTED + ": " + engine(fn));
        }
    }

    /** Invokes pi until the controller has stored a profile of it with frames of the handler's pi method. */
    private static void invokeUntilProfiled(FunctionContainer pi, String fn) throws Exception {
        try {
            await().atMost(PROFILED).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (int i = 0; i < 10; i++) {
                    assertEquals(200, Http.get(pi.url.resolve(PI)).statusCode());
                }
                return Profiles.withPiFrames(controller.stacks, fn).isPresent();
            });
        } catch (ConditionTimeoutException e) {
            fail("no profile of " + fn + " with " + Profiles.PI_FRAME + " frames within " + PROFILED + " (stored: "
                    + Profiles.of(controller.stacks, fn) + "); GET /v1/functions/" + fn + ": "
                    + ControllerApi.function(controller.url, fn) + "\nfunction log:\n" + pi.container.logTail());
        }
        Profiles.openInFlameScope(controller.stacks, fn);
    }

    /** The engine block of GET /v1/functions/{fn}: {"running": ..., "refused": {engine: why}}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> engine(String fn) throws Exception {
        Object engine = ControllerApi.function(controller.url, fn).get("engine");
        return engine instanceof Map ? (Map<String, Object>) engine : Map.of();
    }
}
