package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<Long, TracedIntervals> tracedByThread = new ConcurrentHashMap<>();
    private final TracedIntervals all = new TracedIntervals();
    private int active;              // guarded by this
    private long entered;            // guarded by this
    private long firstTracedMillis;  // guarded by this
    private volatile boolean usable = true;
    private int windowsCarried;      // window thread only

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

    @Override
    public int frequencyHz() {
        return frequencyHz;
    }

    @Override
    public boolean enter() {
        if (!usable) return false;
        synchronized (this) {
            if (entered++ == 0) firstTracedMillis = System.currentTimeMillis();
            active++;
        }
        include(Thread.currentThread());
        return true;
    }

    @Override
    public void leave(long startNanos, long endNanos) {
        Thread t = Thread.currentThread();
        exclude(t);
        tracedByThread.computeIfAbsent(t.getId(), id -> new TracedIntervals()).add(startNanos, endNanos);
        all.add(startNanos, endNanos);
        synchronized (this) {
            if (--active == 0) notifyAll();
        }
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
    public synchronized boolean unused() {
        return usable && entered == 0;
    }

    @Override
    public double expectedSamples() {
        return all.totalNanos() * frequencyHz / 1e9;
    }

    @Override
    public synchronized long firstTracedMillis() {
        return firstTracedMillis;
    }

    @Override
    public int carryOver() {
        return ++windowsCarried;
    }

    @Override
    public long countCpu() {
        return 0;
    }

    @Override
    public long countedCpuNanos() {
        return 0;
    }

    @Override
    public synchronized void awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (active > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return;
            wait(left);
        }
    }

    @Override
    public ProfileFile finish() throws IOException {
        usable = false;
        try {
            stop();
            if (!Files.exists(recording)) throw new IOException(engine() + " wrote no recording");
            Map<Long, TracedIntervals.Lookup> traced = new java.util.HashMap<>();
            tracedByThread.forEach((thread, intervals) -> traced.put(thread, intervals.lookup()));
            return JfrScript.render(recording, recording.resolveSibling(recording.getFileName() + ".perf.gz"), traced,
                    realtimeMinusMonotonic, describe());
        } finally {
            PerfSession.deleteQuietly(recording);
        }
    }
}
