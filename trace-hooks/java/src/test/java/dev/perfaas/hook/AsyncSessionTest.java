package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real async-profiler in this JVM, both modes (wall clock: {@code async}; CPU time: {@code async-cpu}):
 * traced and untraced work alternate on one thread in methods of their own, so a sample's frames say
 * which one it hit, whatever the clocks say.
 */
class AsyncSessionTest {
    @TempDir
    Path dir;

    /**
     * On a machine busier than its cores (here, a busy untraced thread a core), a thread runs in time
     * slices from the kernel's tick: it is sampled as it resumes and ends its invocation microseconds
     * later, so an error of microseconds in a sample's time moves whole runs of samples across an edge.
     */
    @ParameterizedTest(name = "{0} us invocations, CPU time {1}, busy machine {2}")
    @CsvSource({
        "500, false, false",
        "5000, false, false",
        "500, true, false",
        "5000, true, false",
        "500, false, true",
        "500, true, true"
    })
    void samplesOnlyTracedInvocations(long micros, boolean cpuTime, boolean busy) throws Exception {
        CpuAccount cpu = new CpuAccount();
        long before = cpu.totalNanos();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> others = new ArrayList<>();
        for (int i = 0; busy && i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                while (!done.get()) {
                    untracedWork(1_000_000);
                }
            });
            t.start();
            others.add(t);
        }
        long rounds = 1_000_000 / micros; // 1 s traced, 1 s untraced
        AsyncSession s;
        try {
            s = AsyncSession.start(cpuTime, 997, dir, "a" + micros, cpu);
            assertEquals(cpuTime ? Engines.ASYNC_CPU : Engines.ASYNC, s.engine());
            for (long i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                assertTrue(s.enter());
                tracedWork(micros * 1_000);
                long end = System.nanoTime();
                s.leave(start, end);
                untracedWork(micros * 1_000);
            }
        } finally {
            done.set(true);
            for (Thread t : others) {
                t.join();
            }
        }
        s.awaitIdle(1_000);
        ProfileFile profile = s.finish();
        assertNotNull(profile.file(), "async-profiler took no sample");
        FlameScope.assertOpens(profile.file(), profile.samples());
        List<String> samples = Profiles.samples(profile.file());
        assertEquals(profile.samples(), samples.size());
        Predicate<String> inUntraced = x -> x.contains("AsyncSessionTest.untracedWork");
        // the rest fall on an invocation's edges: the loop's clock reads, enter and leave
        Predicate<String> onEdge = x -> !x.contains("AsyncSessionTest.tracedWork") && !inUntraced.test(x);
        long untraced = samples.stream().filter(inUntraced).count();
        long edges = samples.stream().filter(onEdge).count();
        // CPU time is sampled at most at the kernel's tick rate (100-1,000 Hz)
        assertTrue(samples.size() > 80, samples.size() + " samples for 1 s traced at 997 Hz");
        String running = cpuTime ? JfrScript.CPU_RUNNING : JfrScript.RUNNING;
        long runningSamples =
                samples.stream().filter(x -> x.contains(": 1 " + running + ":")).count();
        if (cpuTime) {
            assertEquals(samples.size(), runningSamples, "every CPU-time sample is " + running);
        } else {
            // on a busy machine the wall clock finds the thread descheduled now and then: waiting
            assertTrue(
                    samples.stream()
                            .allMatch(x ->
                                    x.contains(": 1 " + running + ":") || x.contains(": 1 " + JfrScript.WAITING + ":")),
                    "wall-clock samples are running or waiting");
            assertTrue(runningSamples > samples.size() / 2, runningSamples + " of " + samples.size() + " running");
        }
        // a sample's header: comm pid/tid [000] seconds: ...
        String thread = samples.get(0).substring(0, samples.get(0).indexOf(" ["));
        assertTrue(thread.startsWith(Thread.currentThread().getName() + " "), thread);
        assertTrue(samples.stream().allMatch(x -> x.startsWith(thread + " [")), "only the tracing thread's samples");
        assertTrue(
                edges <= 0.05 * samples.size(),
                edges + " of " + samples.size() + " samples outside both kinds of work: "
                        + samples.stream().filter(onEdge).limit(5).toList());
        assertTrue(
                untraced <= 0.01 * samples.size(),
                () -> untraced + " of " + samples.size() + " samples in untraced work: "
                        + samples.stream().filter(inUntraced).limit(3).toList());
        assertTrue(cpu.totalNanos() > before, "the profiler's own threads are counted as the tracer's CPU");
        assertTrue(Files.notExists(dir.resolve("a" + micros + ".jfr")), "the recording is removed once rendered");
    }

    @ParameterizedTest(name = "CPU time {0}")
    @CsvSource({"false", "true"})
    void aWaitingInvocationSamplesAsWaitingOnTheWallClockAndNotAtAllInCpuTime(boolean cpuTime) throws Exception {
        AsyncSession s = AsyncSession.start(cpuTime, 997, dir, "wait" + cpuTime, new CpuAccount());
        long start = System.nanoTime();
        assertTrue(s.enter());
        Thread.sleep(300);
        s.leave(start, System.nanoTime());
        s.awaitIdle(1_000);
        ProfileFile profile = s.finish();
        if (cpuTime) {
            assertTrue(profile.samples() <= 2, profile.samples() + " samples of 300 ms asleep");
        } else {
            assertNotNull(profile.file(), "no sample of 300 ms asleep");
            List<String> samples = Profiles.samples(profile.file());
            long waiting = samples.stream()
                    .filter(x -> x.contains(": 1 " + JfrScript.WAITING + ":"))
                    .count();
            // the thread runs on either side of its sleep (enter, leave), so a tick or two may find it running
            assertTrue(waiting > 100, waiting + " waiting samples of 300 ms asleep at 997 Hz: one an interval");
            assertTrue(waiting >= samples.size() - 5, waiting + " of " + samples.size() + " samples waiting");
        }
    }

    @Test
    void aNewSessionEndsTheLastOneAndBothRender() throws Exception {
        CpuAccount cpu = new CpuAccount();
        AsyncSession first = AsyncSession.start(499, dir, "first", cpu);
        traced(first, 200_000_000L);
        AsyncSession second = AsyncSession.start(499, dir, "second", cpu);
        assertTrue(!first.usable() && second.usable(), "one recording at a time");
        traced(second, 200_000_000L);
        for (ProfileFile profile : List.of(first.finish(), second.finish())) {
            assertTrue(profile.samples() > 0);
            FlameScope.assertOpens(profile.file(), profile.samples());
        }
    }

    private static void traced(AsyncSession s, long nanos) {
        long start = System.nanoTime();
        assertTrue(s.enter());
        tracedWork(nanos);
        s.leave(start, System.nanoTime());
    }

    static volatile double sink;

    static void tracedWork(long nanos) {
        double x = 0;
        for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) {
            x += Math.sqrt(x + 1);
        }
        sink = x;
    }

    static void untracedWork(long nanos) {
        double x = 0;
        for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) {
            x += Math.cbrt(x + 1);
        }
        sink = x;
    }
}
