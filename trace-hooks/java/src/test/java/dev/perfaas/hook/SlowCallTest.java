package dev.perfaas.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slow-call capture against a stand-in controller: which calls are captured, how many, and what their profiles hold. */
class SlowCallTest {
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
     * Nothing is drawn for tracing (fraction 0); four calls sleep past the 200 ms threshold among
     * fast ones. The burst of 2 allows two captures (the rate, one a minute, adds none within the
     * test): the first two slow calls', with the sleeping frame. No fast call is captured.
     */
    @Test
    void capturesSlowCallsWithinTheRateLimitAndNeverAFastOne() throws Exception {
        controller = StandInController.start(0, """
                {"fraction":0,"frequencyHz":0,"windowSeconds":60,"refreshSeconds":1,"engine":"async","version":1,
                 "slowCallMillis":200,"slowCallsPerMinute":1,"slowCallBurst":2}""", reports, uploads);
        TraceHook hook =
                TraceHook.start(HookConfigs.local(controller.getAddress().getPort(), "perf", spool));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> hook.policy().slowCallMillis() == 200);
            for (int slow = 1; slow <= 4; slow++) {
                for (int fast = 0; fast < 20; fast++) {
                    call(hook, "fast-" + slow + "-" + fast, 1);
                }
                call(hook, "slow-" + slow, 600);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> uploads.size() >= 2);
        } finally {
            hook.close();
        }
        assertEquals(2, uploads.size(), "the burst allows two captures");
        for (int i = 0; i < uploads.size(); i++) {
            StandInController.Upload u = uploads.get(i);
            assertEquals("/v1/profiles/fn/slow", u.path());
            assertEquals(
                    "slow-" + (i + 1), u.headers().getFirst("X-Perfaas-Call-Id"), "the first slow calls, in order");
            assertEquals("200", u.headers().getFirst("X-Perfaas-Threshold-Millis"));
            assertEquals("true", u.headers().getFirst("X-Perfaas-Call-Ended"));
            double latency = Double.parseDouble(u.headers().getFirst("X-Perfaas-Latency-Millis"));
            assertTrue(latency >= 600, "latency " + latency);
            assertTrue(u.body().contains("SlowCallTest.sleepsPastTheThreshold"), u.body());
            assertTrue(u.body().contains(": 1 " + JfrScript.WAITING + ":"), "a sleeping thread samples as waiting");
            assertFalse(u.body().contains("fast-"), "no fast call's id anywhere");
            FlameScope.assertOpens("slow-" + (i + 1), u.body().getBytes(StandardCharsets.UTF_8), -1);
        }
    }

    @Test
    void withoutAThresholdNothingIsWatched() throws Exception {
        controller = StandInController.start(0, """
                {"fraction":0,"frequencyHz":0,"windowSeconds":60,"refreshSeconds":1,"engine":"async","version":2}""", reports, uploads);
        TraceHook hook =
                TraceHook.start(HookConfigs.local(controller.getAddress().getPort(), "perf", spool));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> hook.policy().version() == 2);
            call(hook, "slow", 1_500);
        } finally {
            hook.close();
        }
        assertEquals(List.of(), uploads);
    }

    @ParameterizedTest
    @CsvSource({
        // threshold ms, a capture samples every ms
        "1, 10",
        "200, 20",
        "1000, 100",
        "100000, 100",
    })
    void samplingScalesWithTheThreshold(long threshold, long interval) {
        assertEquals(interval, SlowCallWatcher.intervalMillis(threshold));
    }

    /** One look of the watcher at one running invocation (or none), under a 200 ms threshold. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case, ms the invocation has run (-1: none runs), ms until the next look, captured
        "nothing runs: a call starting now crosses a threshold from now, -1, 200, false",
        "one has run 150 ms: the look is when it would cross, 150, 50, false",
        "one is about to cross: no sooner than the shortest wait, 195, 20, false",
        "one has crossed: its capture starts and samples every threshold/10, 200, 20, true",
        "one ran long ago: captured, 5000, 20, true",
    })
    void theNextLookIsWhenTheOldestRunningInvocationWouldCross(
            String name, long ranMillis, long nextMillis, boolean captures) throws Exception {
        List<SlowCall> captured = new CopyOnWriteArrayList<>();
        Policy p = new Policy(0, 0, 60, 10, "async", 1, 200, 1, 3);
        SlowCallWatcher watcher = new SlowCallWatcher(() -> p, spool, captured::add);
        Invocation inv = watcher.watch(new Invocation(Thread.currentThread()));
        long now = System.nanoTime();
        if (ranMillis >= 0) {
            inv.started(now - TimeUnit.MILLISECONDS.toNanos(ranMillis));
        }
        assertEquals(nextMillis, watcher.step(p, now));
        if (captures) {
            assertEquals(20, watcher.step(p, now + TimeUnit.MILLISECONDS.toNanos(20)), "still running: sampled again");
        }

        inv.ended(TimeUnit.MILLISECONDS.toNanos(ranMillis + 1));
        assertEquals(200, watcher.step(p, now + 1), "ended: nothing runs");
        assertEquals(captures ? 1 : 0, captured.size());
        if (captures) {
            SlowCall c = captured.get(0);
            assertEquals(ranMillis + 1, c.latencyMillis(), 1e-9, "the wall time the invocation ended with");
            assertEquals(200, c.thresholdMillis());
            assertTrue(c.ended());
            assertEquals(2, c.samples(), "as the capture began and at the next look");
        }
    }

    /**
     * With slow calls off and an invocation running on and on (a busy function), the watcher looks
     * once a second, not in a loop: it once went dormant, found the invocation running, and looked again
     * at once, and took a core for it.
     */
    @Test
    void aWatcherWithSlowCallsOffDoesNotSpinWhileInvocationsRun() throws Exception {
        Policy off = new Policy(0, 0, 60, 10, "async", 1, 0, 0, 0);
        SlowCallWatcher watcher = new SlowCallWatcher(() -> off, spool, c -> {});
        Invocation inv = watcher.watch(new Invocation(Thread.currentThread()));
        inv.started(System.nanoTime());
        Thread t = new Thread(watcher, "slow-call-watcher-test");
        t.start();
        Thread.sleep(3_000); // three looks a second apart, the second and third after going dormant
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
        t.interrupt();
        t.join();
        // A loop takes most of the 3 s however loaded the machine; a look a second, a few ms.
        assertTrue(
                cpu < TimeUnit.MILLISECONDS.toNanos(300), "the watcher used " + cpu / 1_000_000 + " ms of CPU in 3 s");
    }

    /** A call that ends before its capture's second sample is not sent: FlameScope cannot open one sample. */
    @Test
    void aCaptureOfOneSampleIsNotSent() throws Exception {
        List<SlowCall> captured = new CopyOnWriteArrayList<>();
        Policy p = new Policy(0, 0, 60, 10, "async", 1, 200, 1, 3);
        SlowCallWatcher watcher = new SlowCallWatcher(() -> p, spool, captured::add);
        Invocation inv = watcher.watch(new Invocation(Thread.currentThread()));
        long now = System.nanoTime();
        inv.started(now - TimeUnit.MILLISECONDS.toNanos(250));
        assertEquals(20, watcher.step(p, now), "captured, one sample taken");
        inv.ended(TimeUnit.MILLISECONDS.toNanos(251));
        assertEquals(200, watcher.step(p, now + 1));
        assertEquals(List.of(), captured);
        try (var left = Files.list(spool)) {
            assertEquals(List.of(), left.toList(), "its file is removed");
        }
    }

    /**
     * A capture samples one thread again and again from the watcher thread, each sample timed by
     * System.nanoTime() as it is taken: the profile is in time order. The thread runs in a proxy
     * (JDK 17: {@code jdk.proxyN.$ProxyM}), whose frame carries no per-process number.
     */
    @Test
    void aCapturesSamplesAreInTimeOrderAndItsFramesStable() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch inProxy = new CountDownLatch(1);
        Runnable proxy = (Runnable)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, args) -> {
                    inProxy.countDown();
                    while (!stop.get()) {
                        AsyncSessionTest.tracedWork(100_000L);
                    }
                    return null;
                });
        Thread slow = new Thread(proxy, "slow-call");
        slow.start();
        inProxy.await();
        Invocation inv = new Invocation(slow);
        long start = System.nanoTime();
        inv.started(start);
        SlowCapture capture = SlowCapture.start(inv, start, "call-1", 100, 10, spool);
        for (int i = 0; i < 300; i++) {
            capture.sample();
        }
        stop.set(true);
        slow.join();
        SlowCall call = capture.finish(100, true);
        assertEquals(300, call.samples());
        assertEquals(300, Profiles.sampleLines(call.file()).size());
        Profiles.assertTimeOrdered(call.file());
        Set<String> frames = Profiles.frameNames(call.file());
        assertTrue(frames.contains("jdk.proxy.$Proxy.run"), frames.toString());
        assertTrue(frames.stream().noneMatch(f -> f.matches(".*(\\$Proxy|jdk\\.proxy)\\d.*")), frames.toString());
    }

    @Test
    void theRateAllowsTheBurstThenRefillsAtItsPace() {
        Policy p = new Policy(0, 0, 60, 10, "async", 1, 100, 2, 3); // 2 a minute: one every 30 s
        SlowCallRate rate = new SlowCallRate();
        long t = 0;
        assertTrue(rate.take(p, t));
        assertTrue(rate.take(p, t));
        assertTrue(rate.take(p, t));
        assertFalse(rate.take(p, t), "burst spent");
        assertFalse(rate.take(p, t + TimeUnit.SECONDS.toNanos(29)));
        assertTrue(rate.take(p, t + TimeUnit.SECONDS.toNanos(30)), "one back after 30 s");
        assertFalse(rate.take(p, t + TimeUnit.SECONDS.toNanos(31)));
        assertTrue(rate.take(p, t + TimeUnit.MINUTES.toNanos(60)));
        assertTrue(rate.take(p, t + TimeUnit.MINUTES.toNanos(60)));
        assertTrue(rate.take(p, t + TimeUnit.MINUTES.toNanos(60)));
        assertFalse(rate.take(p, t + TimeUnit.MINUTES.toNanos(60)), "an hour refills the burst, no more");
    }

    private static void call(TraceHook hook, String callId, long millis) throws InterruptedException {
        Invocation inv = hook.begin(callId);
        try {
            sleepsPastTheThreshold(millis);
        } finally {
            hook.end(inv, false);
        }
    }

    private static void sleepsPastTheThreshold(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
