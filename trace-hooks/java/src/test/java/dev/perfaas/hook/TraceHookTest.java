package dev.perfaas.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hook's behaviour around a controller: a small JDK HTTP server plays the controller's
 * policy and report endpoints here; the launcher's end-to-end tests use the real controller.
 */
class TraceHookTest {
    @TempDir
    Path spool;

    private HttpServer controller;
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final List<StandInController.Upload> uploads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopController() {
        if (controller != null) {
            controller.stop(0);
        }
    }

    /**
     * A hook told to trace every invocation, whose controller then goes down: once the policy has
     * outlived three refresh periods without an answer, every invocation runs untraced and none throws
     * (traced ones may end while the policy waits out its life).
     */
    @Test
    void withTheControllerDownEveryInvocationRunsUntracedAndNothingThrows() throws Exception {
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":99,\"windowSeconds\":1,\"refreshSeconds\":1,\"engine\":\"async\",\"version\":2}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "async".equals(hook.engineRunning()));
        boolean traced = false;
        for (int i = 0; i < 100 && !traced; i++) { // four in five are traced at fraction 1
            Invocation inv = hook.begin();
            traced = inv.traced(); // before end(), which hands the thread's Invocation back for reuse
            hook.end(inv, false);
        }
        assertTrue(traced, "the policy traces most invocations");
        controller.stop(0);
        // Invoked meanwhile: an idle hook would poll only every PolicyPoller.IDLE_REFRESHES periods.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            hook.end(hook.begin(), false);
            return hook.policy() == Policy.OFF;
        });
        for (int i = 0; i < 1000; i++) {
            Invocation inv = hook.begin();
            assertFalse(inv.traced());
            hook.end(inv, false);
        }
        hook.close();
    }

    /** perf asked for but not there: the hook says why and async-profiler samples instead. */
    @Test
    void withPerfMissingAsyncProfilerSamplesAndTheReportSaysWhyPerfWasRefused() throws Exception {
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":99,\"windowSeconds\":1,\"refreshSeconds\":1,\"engine\":\"perf\",\"version\":3}");
        TraceHook hook =
                TraceHook.start(config(port, spool.resolve("missing-perf").toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> "async".equals(hook.engineRunning()));
        int traced = 0;
        for (int i = 0; i < 50; i++) {
            Invocation inv = hook.begin();
            if (inv.traced()) {
                traced++;
            }
            hook.end(inv, i == 0);
        }
        hook.close();
        assertTrue(
                hook.engineRefusals().get("perf").contains("cannot run"),
                hook.engineRefusals().toString());
        assertFalse(
                hook.engineRefusals().containsKey("async"),
                hook.engineRefusals().toString());
        assertTrue(traced > 0, "async-profiler traces where perf cannot");
        await().atMost(Duration.ofSeconds(10)).until(() -> totalOf("invocations") == 50);
        String last = reports.get(reports.size() - 1);
        assertTrue(last.contains("\"engine\":\"async\""), last);
        assertTrue(last.contains("\"engineRefused\":{\"perf\":\"cannot run"), last);
        assertEquals(1, totalOf("errors"));
        assertEquals(traced, totalOf("traced"));
    }

    @Test
    void aReportClosedWhileTheControllerIsDownIsSentWhenItComesBack() throws Exception {
        String policy =
                "{\"fraction\":0,\"frequencyHz\":99,\"windowSeconds\":1,\"refreshSeconds\":1,\"engine\":\"perf\",\"version\":1}";
        int port = startController(policy);
        TraceHook hook = TraceHook.start(config(port, "perf"));
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.policy().windowSeconds() == 1);
        stopController();
        for (int i = 0; i < 7; i++) {
            hook.end(hook.begin(), false);
        }
        // A window closes with the controller down: its report waits in the outbox.
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.outbox.pending() > 0);
        long before = totalOf("invocations");
        startControllerOn(port, policy);
        await().atMost(Duration.ofSeconds(20)).until(() -> totalOf("invocations") - before == 7);
        hook.close();
    }

    /** Two invocations overlapping on two threads; the first one's report identifies this process. */
    @Test
    void reportsInvocationsInFlightAndTheColdStartOfThisProcess() throws Exception {
        int port = startController(
                "{\"fraction\":0,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":1,\"engine\":\"perf\",\"version\":1}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        hook.ready();
        Invocation first = hook.begin();
        Thread other = new Thread(() -> hook.end(hook.begin(), false));
        other.start();
        other.join();
        hook.end(first, false);
        hook.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalOf("invocations") == 2);
        Map<String, Object> report = Json.parseObject(reports.get(reports.size() - 1));
        assertEquals(2, Json.number(report, "maxInFlight"));
        Map<String, Object> cold = (Map<String, Object>) report.get("coldStart");
        assertEquals(ProcessHandle.current().pid(), Json.number(cold, "pid"));
        assertTrue(
                Json.number(cold, "startToReadyMillis") <= Json.number(cold, "uptimeMillisAtFirstInvocation"),
                cold.toString());
        assertEquals(List.of(), report.get("tracedLatencyBuckets"));
    }

    /**
     * At fraction 1 as the policy asks, a share of invocations stays untraced as the control group,
     * and traced invocations made slower on purpose (2 ms more CPU each) show as a measured cost: the
     * controller's extra CPU, traced x (CPU per traced - CPU per control), is above zero.
     */
    @Test
    void atFractionOneTheWindowStillHasAControlGroupThatMeasuresWhatTracingAdds() throws Exception {
        TraceHook hook = tracingEverythingAt19Hz();
        int invocations = 200;
        for (int i = 0; i < invocations; i++) {
            Invocation inv = hook.begin();
            PerfSessionTest.burnCpu(inv.traced() ? 3_000_000L : 1_000_000L);
            hook.end(inv, false);
        }
        hook.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalOf("invocations") == invocations);
        long traced = totalOf("traced");
        long control = totalOf("controlMeasured");
        assertTrue(traced > 0, "fraction 1 traces: " + reports);
        assertTrue(control > 0, "no control group at fraction 1: " + reports);
        double perTraced = (double) totalOf("tracedCpuNanos") / totalOf("tracedMeasured");
        double perControl = (double) totalOf("controlCpuNanos") / control;
        assertTrue(traced * (perTraced - perControl) > 0, perTraced + " ns per traced, " + perControl + " per control");
        assertTrue(
                reports.stream().allMatch(r -> Json.number(Json.parseObject(r), "fraction") < 1),
                "the reported fraction is the one drawn: " + reports);
    }

    /**
     * An in-process engine that traced nothing for PARK_AFTER_SECONDS is stopped (no timer wakes for
     * an idle function); the next invocation drawn to be traced finds it parked, runs untraced
     * without waiting, and starts it again, and a later invocation is traced in its place. The window
     * thread sleeps while parked until the 60 s window's end: only the draw's wake restarts it within 20 s.
     */
    @Test
    void anIdleEngineIsParkedAndTheNextTracedDrawStartsItAgainWithoutWaiting() throws Exception {
        TraceHook hook = tracingEverythingAt19Hz();
        await().atMost(Duration.ofSeconds(WindowCloser.PARK_AFTER_SECONDS + 20))
                .until(() -> hook.engineRunning() == null);
        int untracedWhileParked = 0;
        Invocation inv;
        do { // four in five draws trace: the first such finds the engine parked
            inv = hook.begin();
            boolean traced = inv.traced();
            hook.end(inv, false);
            assertFalse(traced, "traced while parked");
            untracedWhileParked++;
        } while (!hook.owed);
        await().atMost(Duration.ofSeconds(20)).until(() -> "async".equals(hook.engineRunning()));
        inv = hook.begin();
        boolean traced = inv.traced();
        PerfSessionTest.burn(5_000_000L);
        hook.end(inv, false);
        hook.close();
        // Traced by its own draw (four in five) or, failing that, for the one that found the engine parked.
        assertTrue(traced, "the invocation after the engine started again is traced");
        int invocations = untracedWhileParked + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> totalOf("invocations") == invocations);
        assertEquals(1, totalOf("traced"));
    }

    /**
     * With 60 s windows, a new instance's first window ends 10 s after its first invocation, and the
     * profile of what it traced is cut with it though it holds far fewer than 100 samples; the next
     * window is an ordinary one.
     */
    @Test
    void theFirstWindowEndsTenSecondsAfterTheFirstInvocationWithItsProfile() throws Exception {
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":1,\"engine\":\"async\","
                        + "\"version\":1}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        hook.registerRequestThread();
        await().atMost(Duration.ofSeconds(20)).until(() -> "async".equals(hook.engineRunning()));
        long first = System.currentTimeMillis();
        // A few traced invocations: ~20 expected samples, a profile worth cutting only as the first one.
        int invoked = 0;
        for (int traced = 0; traced < 4; invoked++) {
            Invocation inv = hook.begin();
            traced += inv.traced() ? 1 : 0;
            PerfSessionTest.burn(50_000_000L);
            hook.end(inv, false);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !reports.isEmpty());
        long reported = System.currentTimeMillis();
        Map<String, Object> report = Json.parseObject(reports.get(0));
        long length = (long) (Json.number(report, "windowEndMillis") - Json.number(report, "windowStartMillis"));
        assertTrue(length < 60_000, "the first window is short: " + report);
        long closed = (long) Json.number(report, "windowEndMillis");
        assertTrue(
                closed - first >= WindowCloser.FIRST_WINDOW_SECONDS * 1000L,
                "closed " + (closed - first) + " ms after the first invocation");
        assertEquals(invoked, Json.number(report, "invocations"));
        assertTrue(report.get("coldStart") != null, report.toString());
        assertEquals(false, report.get("samplesPending"), "the first profile is cut: " + report);
        assertTrue(Json.number(report, "samples") > 0, report.toString());
        assertTrue(reported - first < 30_000, "reported " + (reported - first) + " ms after the first invocation");
        hook.close();
    }

    /**
     * A light function (~5 expected samples a window at 19 Hz) carries its perf session over
     * windows: those reports say samplesPending with no samples, and the report that cuts the
     * profile brings the samples of all of them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"perf", "async", "async-cpu", "jfr"})
    void carriedWindowsSayTheirSamplesArePendingAndTheCutBringsThem(String engine) throws Exception {
        if (engine.equals("perf")) {
            RealPerf.assumeWorks();
        }
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":19,\"windowSeconds\":1,\"refreshSeconds\":1,\"engine\":\"" + engine
                        + "\",\"version\":1}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        hook.registerRequestThread();
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.policy().fraction() == 1.0);
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (cutAfterCarried() == null && System.nanoTime() < until) {
            Invocation inv = hook.begin();
            PerfSessionTest.burn(50_000_000L);
            hook.end(inv, false);
            Thread.sleep(150);
        }
        hook.close();
        assertEquals(Map.of(), hook.engineRefusals());
        Map<String, Object> cut = cutAfterCarried();
        assertTrue(cut != null, "no profile cut after carried windows in " + reports);
        assertTrue(Json.number(cut, "samples") > 0, "the cut brings the carried windows' samples: " + cut);
        assertEquals(engine, cut.get("engine"));
        assertTrue(!uploads.isEmpty(), "no profile uploaded");
        for (StandInController.Upload u : uploads) {
            FlameScope.assertOpens(engine + " " + u.path(), u.body().getBytes(StandardCharsets.UTF_8), -1);
        }
    }

    /**
     * perf killed under a busy function, three times: the function's invocations go on all along
     * (untraced while no perf runs), the hook starts perf again twice, then refuses it, says why,
     * and samples with async-profiler.
     */
    @Test
    void aKilledPerfIsStartedAgainThenRefusedAndInvocationsGoOnThroughout() throws Exception {
        RealPerf.assumeWorks();
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":1,\"engine\":\"perf\","
                        + "\"version\":1}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        AtomicLong invocations = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread function = new Thread(
                () -> {
                    hook.registerRequestThread();
                    try {
                        while (!stop.get()) {
                            Invocation inv = hook.begin();
                            PerfSessionTest.burnCpu(2_000_000L);
                            hook.end(inv, false);
                            invocations.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                },
                "function");
        function.start();
        PerfSessionTest.patiently()
                .until(() -> "perf".equals(hook.engineRunning())
                        && PerfSessionTest.perfChildren().size() == 1);

        for (int kill = 1; kill <= 3; kill++) {
            long perf = PerfSessionTest.perfChild();
            assertTrue(ProcessHandle.of(perf).orElseThrow().destroyForcibly()); // SIGKILL
            if (kill < 3) {
                PerfSessionTest.patiently()
                        .until(() -> PerfSessionTest.perfChildren().stream().anyMatch(p -> p != perf));
                assertEquals("perf", hook.engineRunning());
                assertEquals(Map.of(), hook.engineRefusals());
            } else {
                PerfSessionTest.patiently().until(() -> "async".equals(hook.engineRunning()));
            }
            long before = invocations.get();
            PerfSessionTest.patiently().until(() -> invocations.get() > before + 20);
        }
        stop.set(true);
        function.join();
        hook.close();
        assertEquals(null, thrown.get(), "an invocation failed");
        String why = hook.engineRefusals().get("perf");
        assertTrue(
                why != null && why.contains("perf failed 3 times") && why.contains("killed by signal 9"),
                hook.engineRefusals().toString());
        assertEquals(List.of(), PerfSessionTest.perfChildren(), "no perf left running");

        await().atMost(Duration.ofSeconds(20)).until(() -> totalOf("invocations") == invocations.get());
        assertEquals(0, totalOf("errors"));
        assertTrue(totalOf("traced") > 0);
        String last = reports.get(reports.size() - 1);
        assertTrue(last.contains("\"engine\":\"async\""), last);
        assertTrue(last.contains("\"engineRefused\":{\"perf\":\"perf failed 3 times"), last);
    }

    /** A hook whose policy asks for every invocation at 19 Hz with async-profiler, once the engine runs; this thread runs its invocations. */
    private TraceHook tracingEverythingAt19Hz() throws IOException {
        int port = startController(
                "{\"fraction\":1.0,\"frequencyHz\":19,\"windowSeconds\":60,\"refreshSeconds\":1,\"engine\":\"async\","
                        + "\"version\":1}");
        TraceHook hook = TraceHook.start(config(port, "perf"));
        hook.registerRequestThread();
        await().atMost(Duration.ofSeconds(20)).until(() -> "async".equals(hook.engineRunning()));
        return hook;
    }

    /** The first report that cuts a profile after at least one carried window that traced something. */
    private Map<String, Object> cutAfterCarried() {
        boolean carried = false;
        for (String r : reports) {
            Map<String, Object> report = Json.parseObject(r);
            if (Boolean.TRUE.equals(report.get("samplesPending"))) {
                assertEquals(0, Json.number(report, "samples"), "a carried window reports no samples: " + r);
                carried |= Json.number(report, "traced") > 0;
            } else if (carried) {
                return report;
            }
        }
        return null;
    }

    private HookConfig config(int port, String perf) {
        return HookConfigs.local(port, perf, spool);
    }

    private int startController(String policy) throws IOException {
        startControllerOn(0, policy);
        return controller.getAddress().getPort();
    }

    private void startControllerOn(int port, String policy) throws IOException {
        controller = StandInController.start(port, policy, reports, uploads);
    }

    private long totalOf(String field) {
        long sum = 0;
        for (String r : reports) {
            sum += (long) Json.number(Json.parseObject(r), field);
        }
        return sum;
    }
}
