package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import one.profiler.AsyncProfiler;

/**
 * async-profiler inside this JVM (docs/design.md, section 3), in one of two modes. Engine {@code async}:
 * wall-clock sampling restricted by its thread filter to the threads that run a traced invocation
 * right now. Each traced invocation adds its thread to the filter and removes it after (a few
 * microseconds); each sample says whether the thread was running or waiting; its timer thread wakes at
 * the frequency and lists the JVM's threads every time. Engine {@code async-cpu}: a CPU-time timer per
 * thread ({@code ctimer}), no timer thread; a thread is signalled only as it burns CPU, traced or not
 * (async-profiler filters the wall clock only), and the profile keeps the traced invocations' samples.
 * Neither needs perf_event_open: both work under Docker's default seccomp profile. Java frames come
 * with names and no -XX:+PreserveFramePointer. The profiler is one per JVM, so a new session ends the
 * last one.
 */
final class AsyncSession extends InProcessSession {
    private static AsyncSession current; // guarded by AsyncSession.class

    private final AsyncProfiler profiler;
    private final boolean cpuTime;
    private boolean recording = true; // guarded by AsyncSession.class

    private AsyncSession(AsyncProfiler profiler, boolean cpuTime, int frequencyHz, Path jfr, CpuAccount cpu) {
        super(frequencyHz, jfr, cpu);
        this.profiler = profiler;
        this.cpuTime = cpuTime;
    }

    /** A wall-clock session: engine {@code async}. */
    static AsyncSession start(int frequencyHz, Path dir, String name, CpuAccount cpu)
            throws EngineUnavailableException {
        return start(false, frequencyHz, dir, name, cpu);
    }

    /**
     * Loads async-profiler's native library (from its jar, for this platform) and starts a
     * recording into {@code dir/name.jfr}, ending the one before.
     *
     * @param cpuTime CPU-time sampling (engine {@code async-cpu}) instead of the wall clock
     * @throws EngineUnavailableException no library for this platform, or it cannot load or start
     */
    static AsyncSession start(boolean cpuTime, int frequencyHz, Path dir, String name, CpuAccount cpu)
            throws EngineUnavailableException {
        AsyncProfiler profiler = load();
        Path jfr = dir.resolve(name + ".jfr");
        synchronized (AsyncSession.class) {
            if (current != null) {
                current.stopQuietly();
            }
            try {
                Files.createDirectories(dir);
                Set<Long> before = ProcCpu.threadIds();
                String event = cpuTime ? "ctimer" : "wall";
                String filter = cpuTime ? "" : "filter,";
                profiler.execute("start,event=" + event + ",interval=" + intervalMicros(frequencyHz) + "us," + filter
                        + "jfr,file=" + jfr);
                cpu.registerNativeSince(
                        before, "Async-profiler"); // its threads (the wall clock's timer) are tracer cost
            } catch (IOException | RuntimeException e) {
                throw new EngineUnavailableException("async-profiler cannot start: " + e.getMessage());
            }
            current = new AsyncSession(profiler, cpuTime, frequencyHz, jfr, cpu);
            current.warmUp();
            return current;
        }
    }

    static AsyncProfiler load() throws EngineUnavailableException {
        try {
            return AsyncProfiler.getInstance();
        } catch (Throwable e) { // UnsatisfiedLinkError, or an IllegalStateException from the extraction
            throw new EngineUnavailableException(
                    "async-profiler cannot load: " + e + " (this is " + System.getProperty("os.name")
                            + "/" + System.getProperty("os.arch")
                            + "; its jars carry linux-x64 and linux-arm64 builds for glibc, extracted"
                            + " to java.io.tmpdir, which must allow exec, unless -Done.profiler.libraryPath names the library)");
        }
    }

    /** The sampling interval for a frequency, in microseconds (of wall time, or of a thread's CPU time). */
    static long intervalMicros(int frequencyHz) {
        return Math.max(1, 1_000_000L / frequencyHz);
    }

    @Override
    public String engine() {
        return cpuTime ? Engines.ASYNC_CPU : Engines.ASYNC;
    }

    @Override
    JfrScript.Clock clock() {
        return cpuTime ? JfrScript.Clock.CPU : JfrScript.Clock.WALL;
    }

    @Override
    long intervalNanos() {
        return intervalMicros(frequencyHz()) * 1_000L;
    }

    // CPU time: every thread is sampled as it runs (the filter holds for the wall clock only), so
    // a traced invocation has nothing to switch.
    @Override
    void include(Thread t) {
        if (!cpuTime) {
            profiler.addThread(t);
        }
    }

    @Override
    void exclude(Thread t) {
        if (!cpuTime) {
            profiler.removeThread(t);
        }
    }

    @Override
    void stopRecording() throws IOException {
        synchronized (AsyncSession.class) {
            if (!recording) {
                return;
            }
            recording = false;
            unusable();
            if (current == this) {
                current = null;
            }
            try {
                profiler.execute("stop");
            } catch (IllegalStateException e) {
                throw new IOException("async-profiler could not stop: " + e.getMessage());
            }
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException e) {
            unusable();
        }
    }

    @Override
    String describe() {
        return cpuTime
                ? "async-profiler " + profiler.getVersion() + ", every " + intervalMicros(frequencyHz())
                        + " us of a thread's CPU time (at most the kernel's tick rate), every thread"
                : "async-profiler " + profiler.getVersion() + ", wall clock every " + intervalMicros(frequencyHz())
                        + " us, only threads inside a traced invocation";
    }
}
