package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sampler inside this JVM that records JFR (async-profiler or the JDK's own recorder). Traced
 * invocations are kept per thread, and {@link JfrScript} keeps only the samples a thread took
 * inside its own traced invocations, so a sample signalled just as a thread left one is dropped
 * instead of landing on untraced work. The engine's threads run in this JVM: the hook's
 * {@link CpuAccount} counts them, so {@link #countCpu()} is 0.
 */
abstract class InProcessSession implements Sampler {
    private final int frequencyHz;
    private final Path recording;
    private final CpuAccount cpu;
    /** realtime - monotonic at the start: maps the recording's wall-clock sample times to System.nanoTime(). */
    private final long realtimeMinusMonotonic = JfrScript.realtimeMinusMonotonicNanos();
    /** By Thread, not id: no boxing on the request path. Few threads: the runtime's pool. */
    private final Map<Thread, TracedIntervals> tracedByThread = new ConcurrentHashMap<>();

    private final AtomicInteger active = new AtomicInteger();
    /** 0 until the first traced invocation; a race between two first ones sets about the same time. */
    private volatile long firstTracedMillis;

    private volatile boolean usable = true;

    InProcessSession(int frequencyHz, Path recording, CpuAccount cpu) {
        this.frequencyHz = frequencyHz;
        this.recording = recording;
        this.cpu = cpu;
    }

    /** Starts sampling the calling thread (a traced invocation begins on it). */
    abstract void include(Thread t);

    /** Stops sampling the calling thread. */
    abstract void exclude(Thread t);

    /** Ends the recording so the file is complete; may be called again, then does nothing. */
    abstract void stopRecording() throws IOException;

    /** Ends the recording, reading the engine's threads' CPU first: some end with the recording. */
    final void stop() throws IOException {
        cpu.totalNanos();
        stopRecording();
    }

    /** One line for the profile's header: what sampled, how. */
    abstract String describe();

    /** What the samples measure. */
    abstract JfrScript.Clock clock();

    /** The sampling interval the engine was given. */
    abstract long intervalNanos();

    @Override
    public int frequencyHz() {
        return frequencyHz;
    }

    // enter and leave are the traced request path: a few uncontended atomics and one lock per thread.
    @Override
    public boolean enter() {
        if (!usable) {
            return false;
        }
        if (firstTracedMillis == 0) {
            firstTracedMillis = System.currentTimeMillis();
        }
        active.incrementAndGet();
        include(Thread.currentThread());
        return true;
    }

    @Override
    public void leave(long startNanos, long endNanos) {
        Thread t = Thread.currentThread();
        exclude(t);
        tracedByThread.computeIfAbsent(t, k -> new TracedIntervals()).add(startNanos, endNanos);
        active.decrementAndGet();
    }

    /**
     * One traced enter and leave on the calling hook thread, then forgotten, before the session is
     * published: the first real traced invocation finds the classes loaded, the lambda linked and the
     * engine's native calls resolved, which cost it ~1.5-3 ms of CPU on its request path otherwise
     * (BENCHMARKS.md, cold start).
     */
    void warmUp() {
        long now = System.nanoTime();
        enter();
        leave(now, now);
        tracedByThread.remove(Thread.currentThread());
        firstTracedMillis = 0;
    }

    /** The engine failed while recording: trace nothing more with this session. */
    void unusable() {
        usable = false;
    }

    @Override
    public boolean usable() {
        return usable;
    }

    @Override
    public boolean unused() {
        return usable && firstTracedMillis == 0;
    }

    @Override
    public double expectedSamples() {
        long nanos = 0;
        for (TracedIntervals t : tracedByThread.values()) {
            nanos += t.totalNanos();
        }
        return nanos * frequencyHz / 1e9;
    }

    @Override
    public long firstTracedMillis() {
        return firstTracedMillis;
    }

    @Override
    public long countCpu() {
        return 0;
    }

    /** Polls: waking a waiter would cost every traced invocation a lock, and this runs once a profile. */
    @Override
    public void awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (active.get() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
    }

    @Override
    public ProfileFile finish() throws IOException {
        usable = false;
        try {
            stop();
            if (!Files.exists(recording)) {
                throw new IOException(engine() + " wrote no recording");
            }
            Map<Long, TracedIntervals.Lookup> traced = new HashMap<>();
            tracedByThread.forEach((thread, intervals) -> traced.put(thread.getId(), intervals.lookup()));
            return JfrScript.render(
                    recording,
                    recording.resolveSibling(recording.getFileName() + ".perf.gz"),
                    traced,
                    realtimeMinusMonotonic,
                    clock(),
                    intervalNanos(),
                    describe());
        } finally {
            SpoolFiles.deleteQuietly(recording);
        }
    }
}
