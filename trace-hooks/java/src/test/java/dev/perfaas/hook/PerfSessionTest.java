package dev.perfaas.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.zip.GZIPInputStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real perf, attached to this test JVM. Everything asserted is a count, never a duration: work is
 * measured in this thread's CPU time (perf's cpu-clock samples a thread every 1/F s of its CPU,
 * however busy the machine), and the test waits for perf to acknowledge each toggle instead of
 * assuming it keeps up, so a loaded 2-core machine changes how long it takes, not what it sees.
 */
class PerfSessionTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int HZ = 499;

    @TempDir
    Path dir;

    @Test
    void samplesOnlyWhileEnabledAndAttributesSamplesToTracedIntervals() throws Exception {
        RealPerf.assumeWorks();
        long me = threadId();
        PerfSession s = start("perf", HZ, dir, "t1", List.of()); // the whole JVM (-p)
        List<long[]> untraced = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long u = System.nanoTime();
            burnCpu(50_000_000L); // events disabled: from the start, then by each acknowledged disable
            untraced.add(new long[] {u, System.nanoTime()});
            long start = enter(s);
            burnCpu(100_000_000L);
            leave(s, start);
        }
        ProfileFile r = s.finish();
        opens(r);
        assertFalse(Files.exists(dir.resolve("t1.ctl")), "control fifo removed");
        assertFalse(Files.exists(PerfMap.FILE), "the perf map we wrote is removed after perf script");

        TracedIntervals.Lookup traced = s.intervals().lookup();
        List<Long> mine = sampleTimes(r, me);
        assertTrue(mine.size() >= 0.5 * HZ * 0.5, "500 ms of this thread's CPU traced, samples: " + mine.size());
        assertTrue(
                mine.stream().noneMatch(t -> untraced.stream().anyMatch(u -> u[0] <= t && t <= u[1])),
                "a sample of this thread in its untraced work");
        long mineInside = mine.stream().filter(traced::contains).count();
        assertTrue(mineInside >= 0.9 * mine.size(), mineInside + " of " + mine.size() + " inside");
        assertTrue(r.samplesInTraced() >= mineInside && r.samplesInTraced() <= r.samples(), r.toString());
        try (BufferedReader in = reader(r.file())) {
            String firstNonComment =
                    in.lines().filter(l -> !l.startsWith("#")).findFirst().orElse("");
            assertTrue(
                    PerfScript.sampleTimeNanos(firstNonComment) > 0,
                    "first non-comment line is a sample: " + firstNonComment);
        }
    }

    @Test
    void onNamedThreadsOnlyThoseThreadsAreSampled() throws Exception {
        RealPerf.assumeWorks();
        long me = threadId();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            running.countDown();
            while (!done.get()) {
                burnCpu(1_000_000L);
            }
        });
        other.start();
        running.await();
        PerfSession s = start("perf", HZ, dir, "t5", List.of(me));
        long start = enter(s);
        burnCpu(300_000_000L); // the other thread burns all along
        leave(s, start);
        done.set(true);
        other.join();
        ProfileFile r = s.finish();
        opens(r);
        List<String> headers = sampleLines(r);
        assertTrue(headers.size() >= 0.3 * HZ * 0.5, "300 ms of this thread's CPU traced, samples: " + headers.size());
        assertTrue(
                headers.stream().allMatch(l -> l.matches("^.*?\\s" + me + "\\s.*")),
                "a sample from another thread: " + headers);
    }

    /**
     * Three profiles from one perf: the next session takes perf over while an invocation is in
     * flight, which rotates perf's output instead of restarting perf. Every sample lands in
     * exactly one profile: none twice, together as many as the traced CPU gives, and those of the
     * invocation across the cut attributed to it on both sides.
     */
    @Test
    void aCutRotatesPerfsOutputAndEverySampleLandsInExactlyOneProfile() throws Exception {
        RealPerf.assumeWorks();
        long me = threadId();
        PerfSession a = start("perf", HZ, dir, "a", List.of(me));
        long perfPid = perfChild();
        long sampled = 0;

        long start = enter(a);
        sampled += sampledBurn(a, 100_000_000L);
        PerfSession b = a.handOver(HZ, List.of(me), "b"); // the cut, with a's invocation in flight
        long afterCut = System.nanoTime();
        assertNotNull(b, "a working perf at the same frequency on the same thread goes on");
        assertNull(a.handOver(HZ, List.of(me), "b2"), "taken over once");
        sampled += sampledBurn(a, 100_000_000L);
        leave(a, start);
        ProfileFile pa = a.finish();
        opens(pa);

        long bStart = enter(b);
        sampled += sampledBurn(b, 100_000_000L);
        leave(b, bStart);
        assertEquals(perfPid, perfChild(), "one perf across the cut");
        PerfSession c = b.handOver(HZ, List.of(me), "c");
        assertNotNull(c);
        ProfileFile pb = b.finish();
        opens(pb);
        ProfileFile pc = c.finish(); // nothing took over: perf stops
        opens(pc);
        assertFalse(
                ProcessHandle.of(perfPid).map(ProcessHandle::isAlive).orElse(false),
                "perf stopped with the last session");
        assertNull(c.failure(), "stopped on purpose");

        List<Long> ta = sampleTimes(pa, me);
        List<Long> tb = sampleTimes(pb, me);
        List<Long> tc = sampleTimes(pc, me);
        assertFalse(ta.isEmpty(), "the first profile has the samples before the cut");
        assertTrue(ta.stream().allMatch(t -> t < afterCut), "a sample after the cut in the profile before it");
        assertTrue(
                tb.stream().filter(t -> t < bStart).count() > 0,
                "the invocation across the cut goes on sampled after it");
        Set<Long> all = new HashSet<>();
        for (List<Long> times : List.of(ta, tb, tc)) {
            for (long t : times) {
                assertTrue(all.add(t), "sample at " + t + " in two profiles");
            }
        }
        double expected = sampled * HZ / 1e9;
        assertTrue(
                all.size() >= 0.8 * expected && all.size() <= 1.2 * expected + 5,
                all.size() + " samples in all, " + Math.round(expected) + " expected from this thread's sampled CPU");
        long inside = pa.samplesInTraced() + pb.samplesInTraced() + pc.samplesInTraced();
        assertTrue(
                inside >= 0.9 * all.size(),
                inside + " of " + all.size() + " inside traced invocations, wherever the cut put them");
        for (String name : List.of("a.data", "a.ctl", "a.ack", "a.log")) {
            assertFalse(Files.exists(dir.resolve(name)), name + " left");
        }
    }

    /**
     * perf on the whole JVM while three threads call lambdas through one call site that sees three
     * lambda classes (so the JIT cannot inline them: their compiled frames stay in the stacks), cut
     * twice by rotating perf's output. Every profile is in time order, and its frames name the lambdas
     * without their per-process numbers and addresses, and without perf's offsets into the code.
     */
    @Test
    void profilesAreInTimeOrderWithStableFrameNames() throws Exception {
        RealPerf.assumeWorks();
        List<DoubleSupplier> lambdas = List.of(() -> spin(1), () -> spin(2), () -> spin(3));
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                double x = 0;
                while (!done.get()) {
                    for (DoubleSupplier f : lambdas) {
                        x += f.getAsDouble();
                    }
                }
                sink = x;
            });
            workers.add(t);
            t.start();
        }
        List<ProfileFile> profiles = new ArrayList<>();
        try {
            PerfSession s = start("perf", HZ, dir, "o1", List.of());
            for (String next : List.of("o2", "o3", "")) {
                long start = enter(s);
                sampledBurn(s, 100_000_000L);
                leave(s, start);
                PerfSession taken = next.isEmpty() ? null : s.handOver(HZ, List.of(), next);
                profiles.add(s.finish());
                s = taken;
            }
        } finally {
            done.set(true);
            for (Thread t : workers) {
                t.join();
            }
        }
        Set<String> frames = new HashSet<>();
        for (ProfileFile p : profiles) {
            Profiles.assertTimeOrdered(p.file());
            frames.addAll(Profiles.frameNames(p.file()));
        }
        assertTrue(
                frames.stream().anyMatch(f -> f.contains("PerfSessionTest$$Lambda.getAsDouble()")), frames.toString());
        List<String> unstable = frames.stream()
                .filter(f -> f.contains("0x") || f.matches(".*\\$\\$Lambda\\$\\d.*"))
                .toList();
        assertEquals(List.of(), unstable, "frames with an address, a lambda's number or an offset");
    }

    static volatile double sink;

    private static double spin(int n) {
        double x = n;
        for (int i = 0; i < 20_000; i++) {
            x += Math.sqrt(x + i);
        }
        return x;
    }

    @Test
    void aPerfKilledMidInvocationStopsTracingAtOnceAndSaysWhy() throws Exception {
        RealPerf.assumeWorks();
        PerfSession s = start("perf", HZ, dir, "k", List.of(threadId()));
        long start = enter(s);
        burnCpu(20_000_000L);
        ProcessHandle perf = ProcessHandle.of(perfChild()).orElseThrow();
        assertTrue(perf.destroyForcibly()); // SIGKILL
        patiently().until(() -> !s.usable());
        s.leave(start, System.nanoTime()); // the invocation in flight ends as usual
        assertFalse(s.enter(), "nothing more is traced with a dead perf");
        assertTrue(s.failure().contains("killed by signal 9"), s.failure());
        assertEquals(ProfileFile.EMPTY, s.finish(), "what perf had not finished into a file is lost, nothing fails");
        assertTrue(s.countCpu() <= 0, "its CPU is now in our reaped children's: what was counted is taken back");
        for (String name : List.of("k.data", "k.ctl", "k.ack", "k.log")) {
            assertFalse(Files.exists(dir.resolve(name)), name + " left");
        }
    }

    @Test
    void aSessionWithNoTracedInvocationHasNoSample() throws Exception {
        RealPerf.assumeWorks();
        PerfSession s = start("perf", 99, dir, "t2", List.of());
        assertTrue(s.unused());
        burnCpu(100_000_000L);
        ProfileFile r = s.finish();
        opens(r);
        assertEquals(0, r.samples());
        assertNull(r.file());
        assertFalse(Files.exists(dir.resolve("t2.perf.gz")));
    }

    @Test
    void aPerfMapSomeoneElseWroteIsLeftInPlace() throws Exception {
        RealPerf.assumeWorks();
        Files.writeString(PerfMap.FILE, "7f0000000000 10 an operator's map\n");
        try {
            PerfSession s = start("perf", HZ, dir, "m", List.of(threadId()));
            long start = enter(s);
            burnCpu(20_000_000L);
            leave(s, start);
            s.finish();
            assertTrue(Files.exists(PerfMap.FILE), "not ours to delete");
        } finally {
            Files.deleteIfExists(PerfMap.FILE);
        }
    }

    @Test
    void aMissingPerfIsReportedWithItsReason() {
        EngineUnavailableException e = assertThrows(
                EngineUnavailableException.class,
                () -> start(dir.resolve("no-such-perf").toString(), 99, dir, "t3", List.of()));
        assertTrue(e.getMessage().contains("cannot run"), e.getMessage());
        assertTrue(e.getMessage().contains("java17-perfaas-perf"), "says where perf is: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("t3.ctl")));
    }

    @Test
    void aPerfThatFailsAtStartIsReportedWithItsOutput() throws Exception {
        Path fake = dir.resolve("perf");
        Files.writeString(
                fake,
                "#!/bin/sh\necho 'perf_event_open(..., PERF_FLAG_FD_CLOEXEC) failed: Permission denied' >&2\nexit 255\n");
        assertTrue(fake.toFile().setExecutable(true));
        EngineUnavailableException e =
                assertThrows(EngineUnavailableException.class, () -> start(fake.toString(), 99, dir, "t4", List.of()));
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
    }

    /** Generous: on a loaded machine perf may wait long for a CPU; what is awaited must happen. */
    static ConditionFactory patiently() {
        return await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Enters a traced invocation once perf has caught up with earlier toggles (until then the backlog guard refuses it). */
    private static long enter(PerfSession s) {
        long start = System.nanoTime();
        patiently().until(s::enter);
        return start;
    }

    /** Leaves, then waits until perf has applied the disable, so what follows is really untraced. */
    private static void leave(PerfSession s, long start) {
        s.leave(start, System.nanoTime());
        patiently().until(s::caughtUp);
    }

    /** Burns once perf has applied the enable; returns this thread's CPU from then on, all of it sampled. */
    private static long sampledBurn(PerfSession s, long nanos) {
        patiently().until(s::caughtUp);
        long cpu = THREADS.getCurrentThreadCpuTime();
        burnCpu(nanos);
        return THREADS.getCurrentThreadCpuTime() - cpu;
    }

    /** The one perf record this JVM runs now. */
    static long perfChild() {
        List<Long> perfs = perfChildren();
        assertEquals(1, perfs.size(), "perf record children: " + perfs);
        return perfs.get(0);
    }

    /** The perf record processes this JVM runs now. */
    static List<Long> perfChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> a.length > 0 && a[0].equals("record"))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** perf started on {@code threads} (the whole JVM when none) with a first session. */
    static PerfSession start(String perf, int hz, Path dir, String name, List<Long> threads)
            throws EngineUnavailableException {
        return PerfSession.first(PerfRecorder.start(perf, hz, dir, name, threads, new CpuAccount()), name);
    }

    static long threadId() throws IOException {
        return RequestThreads.currentId();
    }

    /** A profile perf wrote (none when nothing was sampled) opens in FlameScope with all its samples. */
    private static void opens(ProfileFile r) throws IOException {
        if (r.file() != null) {
            FlameScope.assertOpens(r.file(), r.samples());
        }
    }

    private static List<String> sampleLines(ProfileFile r) throws IOException {
        if (r.file() == null) {
            return List.of();
        }
        try (BufferedReader in = reader(r.file())) {
            return in.lines().filter(l -> PerfScript.sampleTimeNanos(l) > 0).toList();
        }
    }

    /** Times of the samples of one thread, by its header line {@code comm tid [cpu] time: ...}. */
    private static List<Long> sampleTimes(ProfileFile r, long tid) throws IOException {
        return sampleLines(r).stream()
                .filter(l -> l.matches("^.*?\\s" + tid + "\\s.*"))
                .map(PerfScript::sampleTimeNanos)
                .toList();
    }

    private static BufferedReader reader(Path gz) throws IOException {
        return new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8));
    }

    /** Spins until this thread has used about the given CPU time, however busy the machine is. */
    static void burnCpu(long nanos) {
        long end = THREADS.getCurrentThreadCpuTime() + nanos;
        double x = 0;
        // Work between clock reads: JFR drops samples taken inside the clock read's stub.
        while (THREADS.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x += Math.sqrt(x + i);
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }

    /** Spins for about the given wall time on this thread. */
    static void burn(long nanos) {
        long end = System.nanoTime() + nanos;
        double x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x += Math.sqrt(x + i);
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
