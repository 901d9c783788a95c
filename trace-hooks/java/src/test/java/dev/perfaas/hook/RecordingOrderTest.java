package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real async-profiler recordings of several threads traced at once, of the wall clock and of CPU time:
 * its striped buffers are flushed one at a time, so the recording's order is not time order, and the
 * profile must be. The JDK's own
 * JFR reader reads each recording too, as a second opinion on what the hook's reader makes of it.
 */
class RecordingOrderTest {
    private static final int THREADS = 4;
    private static final long TRACED_NANOS = 1_500_000_000L;
    private static final int HZ = 997;
    private static final long INTERVAL_NANOS = AsyncSession.intervalMicros(HZ) * 1_000L;

    @TempDir
    Path dir;

    /** A recording of {@link #THREADS} traced threads, as written, and what the hook rendered of it. */
    private record Recorded(Path raw, List<Thread> workers, ProfileFile session) {}

    @ParameterizedTest(name = "CPU time {0}")
    @ValueSource(booleans = {false, true})
    void samplesRecordedOutOfOrderAreRenderedInTimeOrderWhateverTheMemoryBound(boolean cpuTime) throws Exception {
        // async-profiler's buffers put 3-68 inversions into each recording seen here; should one come
        // out in order by chance, record again (a few times at most) rather than prove nothing.
        Recorded r = null;
        List<Long> rawTimes = new ArrayList<>();
        List<String> rawSamples = new ArrayList<>();
        Map<Long, TracedIntervals.Lookup> everything = new HashMap<>();
        long realtimeMinusMonotonic = JfrScript.realtimeMinusMonotonicNanos();
        JfrScript.Clock clock = cpuTime ? JfrScript.Clock.CPU : JfrScript.Clock.WALL;
        for (int attempt = 1; attempt <= 3 && Profiles.inversions(rawTimes) == 0; attempt++) {
            r = record("order" + attempt, cpuTime);
            Profiles.assertTimeOrdered(r.session().file());
            rawTimes.clear();
            rawSamples.clear();
            everything.clear();
            readRaw(r, cpuTime, everything, rawTimes, rawSamples);
            // enough to merge more runs than one pass takes, ten samples a run
            assertTrue(
                    rawTimes.size() > 10 * (TimeOrderedSamples.MAX_MERGED + 1),
                    rawTimes.size() + " samples of " + THREADS + " threads");
        }
        int inversions = Profiles.inversions(rawTimes);
        assertTrue(inversions > 0, "three recordings in time order already: this test proves nothing");
        Path raw = r.raw();

        Path inMemory = dir.resolve("in-memory.perf.gz");
        ProfileFile a =
                JfrScript.render(raw, inMemory, everything, realtimeMinusMonotonic, clock, INTERVAL_NANOS, "test");
        Profiles.assertTimeOrdered(inMemory);
        List<String> rendered = Profiles.samples(inMemory);
        assertEquals(rawTimes.size(), a.samples());
        assertEquals(sorted(rawSamples), sorted(rendered), "every sample kept, each once, as the JDK reads it");
        assertTrue(rendered.size() / 10 > TimeOrderedSamples.MAX_MERGED, "enough runs to merge in passes");

        // A bound of fewer bytes than the recording holds also streams the recording from its file.
        Path spilled = dir.resolve("spilled.perf.gz");
        long bound = Files.size(raw) / 4;
        ProfileFile b = JfrScript.render(
                raw,
                spilled,
                everything,
                realtimeMinusMonotonic,
                clock,
                INTERVAL_NANOS,
                "test",
                new TimeOrderedSamples.Bound(10, bound));
        assertEquals(a.samples(), b.samples());
        assertEquals(Profiles.text(inMemory), Profiles.text(spilled), "spilling and streaming change nothing");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.map(p -> p.getFileName().toString())
                            .filter(
                                    n -> !n.matches(
                                            "in-memory\\.perf\\.gz|spilled\\.perf\\.gz|order\\d(\\.jfr\\.perf\\.gz|-raw\\.jfr)"))
                            .toList(),
                    "only the profiles and the copies are left, no run file");
        }
        System.out.println("[order] " + rawTimes.size() + " samples recorded with " + inversions
                + " inversions; rendered in order, spilled in " + (rendered.size() + 9) / 10 + " runs");
    }

    /** Records {@link #THREADS} threads traced at once; keeps a copy of the recording as it was written. */
    private Recorded record(String name, boolean cpuTime) throws Exception {
        CpuAccount cpu = new CpuAccount();
        AsyncSession s = AsyncSession.start(cpuTime, HZ, dir, name, cpu);
        List<Thread> workers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(
                    () -> {
                        ready.countDown();
                        long start = System.nanoTime();
                        assertTrue(s.enter());
                        work(TRACED_NANOS);
                        s.leave(start, System.nanoTime());
                    },
                    "worker-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        s.stop(); // the recording is complete: keep a copy of it as it was written
        Path raw = Files.copy(dir.resolve(name + ".jfr"), dir.resolve(name + "-raw.jfr"));
        ProfileFile session = s.finish();
        assertNotNull(session.file(), "async-profiler took no sample");
        return new Recorded(raw, workers, session);
    }

    /**
     * The raw recording as the JDK reads it, in its own order: every worker's sample, as the profile
     * writes it. The JDK reads a time as the chunk's wall-clock start plus the ticks since the chunk's
     * first tick (both in the chunk's header); undone, that gives the tick, which async-profiler takes
     * from CLOCK_MONOTONIC: System.nanoTime(), to the nanosecond.
     */
    private static void readRaw(
            Recorded r,
            boolean cpuTime,
            Map<Long, TracedIntervals.Lookup> everything,
            List<Long> rawTimes,
            List<String> rawSamples)
            throws Exception {
        for (Thread t : r.workers()) {
            everything.put(
                    t.getId(), new TracedIntervals.Lookup(new long[] {Long.MIN_VALUE}, new long[] {Long.MAX_VALUE}));
        }
        ByteBuffer header;
        try (InputStream in = Files.newInputStream(r.raw())) {
            header = ByteBuffer.wrap(in.readNBytes(64)); // a chunk header's fixed part
        }
        assertEquals(Files.size(r.raw()), header.getLong(8), "one chunk");
        assertEquals(1_000_000_000L, header.getLong(56), "ticks of a nanosecond");
        long startNanosMinusTicks = header.getLong(32) - header.getLong(48);
        try (RecordingFile in = new RecordingFile(r.raw())) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String sampleType = cpuTime ? "jdk.ExecutionSample" : "profiler.WallClockSample";
                RecordedThread thread =
                        e.getEventType().getName().equals(sampleType) ? e.getThread("sampledThread") : null;
                if (thread == null || e.getStackTrace() == null || !everything.containsKey(thread.getJavaThreadId())) {
                    continue;
                }
                Instant at = e.getStartTime();
                long first = at.getEpochSecond() * 1_000_000_000L + at.getNano() - startNanosMinusTicks;
                StringBuilder frames = new StringBuilder();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    RecordedClass type = f.getMethod().getType();
                    JfrScript.appendFrame(
                            frames,
                            type == null ? null : type.getName(),
                            f.getMethod().getName(),
                            f.getType());
                }
                // The wall clock writes an idle thread's samples as one event: one sample an interval
                int batch = cpuTime ? 1 : e.getInt("samples");
                for (int i = 0; i < batch; i++) {
                    long mono = first + i * INTERVAL_NANOS;
                    StringBuilder sample = new StringBuilder();
                    JfrScript.appendHeader(
                            sample,
                            thread.getJavaName(),
                            ProcessHandle.current().pid(),
                            thread.getOSThreadId(),
                            mono,
                            cpuTime ? JfrScript.CPU_RUNNING : JfrScript.eventName(e.getString("state")));
                    rawTimes.add(mono);
                    rawSamples.add(sample.append(frames).toString().strip());
                }
            }
        }
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    /**
     * Busy and asleep by turns: wall-clock sampling takes both, CPU time the busy part. It goes on
     * until the thread has also had 1 s of CPU, which a machine busy elsewhere is slow to give.
     */
    private static void work(long nanos) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + nanos;
        long cpuEnd = mx.getCurrentThreadCpuTime() + 1_000_000_000L;
        while (System.nanoTime() < end || mx.getCurrentThreadCpuTime() < cpuEnd) {
            AsyncSessionTest.tracedWork(2_000_000L);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
