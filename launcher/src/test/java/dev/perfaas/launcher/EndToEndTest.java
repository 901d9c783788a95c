package dev.perfaas.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.profiles.PerfScriptCheck;
import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path with real parts: the controller jar, the pi example served by the template's
 * run.sh and runtime, real async-profiler and real perf (its case skipped loudly without one that
 * can sample: {@link RealPerf}), real HTTP between them, real files in the FlameScope directory.
 */
class EndToEndTest {
    private static final Project PROJECT = new Project(Path.of(".."));

    @TempDir
    static Path work;

    /** Whatever the tests stored opens in FlameScope. */
    @AfterAll
    static void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    static ControllerProcess controller;

    @BeforeAll
    static void startController() throws Exception {
        controller = ControllerProcess.start(
                PROJECT,
                Http.freePort(),
                work.resolve("stacks"),
                Map.of(
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.policy.window-seconds", "2",
                        "perfaas.policy.refresh-seconds", "1"),
                work.resolve("controller.log"));
        // Through the operator's API: trace every invocation at 499 Hz, so a window is sure to hold samples.
        HttpResponse<String> put = Http.send(
                "PUT",
                controller.url.resolve("/v1/targets/_default"),
                "{\"maxOverhead\":0.5,"
                        + "\"samplesPerMinute\":100000,\"minFrequencyHz\":499,\"maxFrequencyHz\":499,\"minFraction\":1.0}");
        assertEquals(200, put.statusCode(), put.body());
    }

    @AfterAll
    static void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    /** The controller asks for async-profiler; PERFAAS_ENGINE=perf pins a function to perf. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "perf"})
    void aTracedPiInvocationEndsAsAFlameScopeProfileAndIsCounted(String engine) throws Exception {
        if (engine.equals("perf")) {
            RealPerf.assumeWorks();
        }
        String name = "pi-" + engine;
        long sent = 0;
        Path profile;
        long pid;
        try (FunctionProcess pi = startPi(name, engine.equals("perf") ? Map.of("PERFAAS_ENGINE", "perf") : Map.of())) {
            pid = pi.process.pid(); // run.sh execs the JVM
            // Invoke until a window with samples has closed and its profile has been stored.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            do {
                assertEquals(200, Http.get(pi.url.resolve("/?terms=3000000")).statusCode());
                sent++;
                profile = StoredProfiles.first(work.resolve("stacks").resolve(name));
            } while (profile == null && System.nanoTime() < deadline);
            assertNotNull(
                    profile,
                    "no profile under stacks/" + name + " after " + sent + " invocations; function log:\n"
                            + pi.logTail() + "\ncontroller log:\n" + controller.logTail());
        } // SIGTERM: the function flushes its last window
        assertFalse(Files.exists(Path.of("/tmp/perf-" + pid + ".map")), "the stopped function left its JIT perf map");

        List<String> lines = Files.readAllLines(profile);
        // The controller's rule for what FlameScope opens; it throws naming the first line that breaks it.
        PerfScriptCheck check = new PerfScriptCheck();
        byte[] body = Files.readAllBytes(profile);
        check.accept(body, 0, body.length);
        check.finish();
        assertTrue(check.samples() > 0, "no sample in " + profile);
        // FlameScope's own reading: its heat map and flame graph show every sample, pi's frame among them.
        Reading flameScope = FlameScopeOracle.read(profile);
        assertEquals(check.samples(), flameScope.heatmapSamples(), "FlameScope's heat map of " + profile);
        assertEquals(check.samples(), flameScope.flameGraphSamples(), "FlameScope's flame graph of " + profile);
        assertTrue(
                flameScope.flameGraph().names().stream().anyMatch(n -> n.contains("Handler.leibnizPi")),
                "no pi frame in FlameScope's flame graph of " + profile);
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("Handler.leibnizPi")),
                "no frame of the pi method in " + profile);
        assertTrue(
                profile.getFileName().toString().matches(name + "-[A-Za-z0-9._-]+-\\d{8}T\\d{6}(-\\d+)?\\.perf"),
                profile.toString());

        long expected = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> functionField(name, "invocations") == expected);
        assertTrue(functionField(name, "samples") > 0);
        assertTrue(functionField(name, "traced") > 0);
        assertEquals(engine, engine(name).get("running"));
    }

    /** Pinned to perf where there is none: every request answers, perf's refusal is reported, async-profiler samples. */
    @Test
    void withoutPerfOnPathAsyncProfilerTakesOverAndEveryRequestAnswers() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin-without-perf"));
        for (String tool : List.of("sh", "dirname", "mkfifo")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        Files.createSymbolicLink(bin.resolve("java"), Path.of(ControllerProcess.javaBin()));
        long sent = 0;
        try (FunctionProcess fn = startPi("noperf", Map.of("PATH", bin.toString(), "PERFAAS_ENGINE", "perf"))) {
            // Until a window that async-profiler sampled has been reported (the engine starts with the first policy).
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                HttpResponse<String> r = Http.get(fn.url.resolve("/?terms=100000"));
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().startsWith("pi ~ 3.14"), r.body());
                sent++;
            } while (functionField("noperf", "traced") <= 0 && System.nanoTime() < deadline);
        }
        long requests = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> functionField("noperf", "invocations") == requests);
        assertTrue(functionField("noperf", "traced") > 0, "async-profiler traces where perf cannot");
        Map<String, Object> engine = engine("noperf");
        assertEquals("async", engine.get("running"));
        @SuppressWarnings("unchecked")
        Map<String, Object> refused = (Map<String, Object>) engine.get("refused");
        assertTrue(String.valueOf(refused.get("perf")).contains("cannot run 'perf'"), engine.toString());
    }

    /**
     * Issue 12's acceptance: one instance name, three processes one after the other (a pod restarted),
     * three cold starts, each with its init, though every process reports more than one window.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aFunctionStartedThreeTimesShowsThreeColdStarts() throws Exception {
        String name = "pi-restarted";
        Path context =
                FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/pi"), work.resolve("context-" + name));
        long sent = 0;
        for (int start = 1; start <= 3; start++) {
            try (FunctionProcess pi = FunctionProcess.start(
                    name,
                    context,
                    Http.freePort(),
                    controller.url,
                    Map.of("PERFAAS_INSTANCE", name + "-1"),
                    work.resolve(name + "-" + start + ".log"))) {
                for (int i = 0; i < 5; i++, sent++) {
                    assertEquals(200, Http.get(pi.url.resolve("/?terms=100000")).statusCode());
                }
                long expected = sent;
                // A window closes before the stop, whose last window is reported too: each process reports several.
                await().atMost(Duration.ofSeconds(30)).until(() -> functionField(name, "invocations") == expected);
            }
        }
        long invocations = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> functionField(name, "invocations") == invocations);
        Map<String, Object> cold = (Map<String, Object>) functionDetail(name).get("coldStarts");
        assertEquals(3.0, cold.get("count"), cold.toString());
        assertEquals(3.0 / invocations, (Double) cold.get("rate"), 1e-9, cold.toString());
        List<Map<String, Object>> latest = (List<Map<String, Object>>) cold.get("latest");
        assertEquals(
                3,
                latest.stream()
                        .map(c -> c.get("processStartMillis") + "/" + c.get("pid"))
                        .distinct()
                        .count(),
                latest.toString());
        for (Map<String, Object> c : latest) {
            assertEquals(name + "-1", c.get("instance"));
            assertNotNull(c.get("bootId"), c.toString());
            assertTrue(
                    (Double) c.get("startToReadyMillis") <= (Double) c.get("timeToFirstInvocationMillis"),
                    c.toString());
            assertTrue((Double) c.get("firstInvocationNanos") > 0, c.toString());
        }
        Map<String, Object> latency = (Map<String, Object>)
                ((Map<String, Object>) functionDetail(name).get("latency")).get("pooled");
        assertEquals(3.0, ((Map<String, Object>) latency.get("cold")).get("count"), latency.toString());
        assertEquals(invocations - 3.0, ((Map<String, Object>) latency.get("warm")).get("count"), latency.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> engine(String function) throws Exception {
        return (Map<String, Object>) functionDetail(function).get("engine");
    }

    /** pi from the reactor build, laid out as faas-cli's build context with the template's run.sh. */
    private static FunctionProcess startPi(String name, Map<String, String> env) throws Exception {
        Path context =
                FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/pi"), work.resolve("context-" + name));
        Map<String, String> all = new HashMap<>(env);
        all.put("PERFAAS_INSTANCE", name + "-1");
        return FunctionProcess.start(name, context, Http.freePort(), controller.url, all, work.resolve(name + ".log"));
    }

    private static long functionField(String function, String field) throws Exception {
        Object v = functionDetail(function).get(field);
        return v == null ? -1 : ((Double) v).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> functionDetail(String function) throws Exception {
        HttpResponse<String> r = Http.get(controller.url.resolve("/v1/functions/" + function));
        if (r.statusCode() == 404) {
            return Map.of();
        }
        return (Map<String, Object>) Json.parse(r.body());
    }

    private static String which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(tool + " not on PATH");
    }
}
