package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import one.profiler.AsyncProfiler;

/**
 * async-profiler inside this JVM (docs/design.md, section 3): wall-clock sampling restricted by its thread
 * filter to the threads that run a traced invocation right now. Each traced invocation adds its
 * thread to the filter and removes it after (a few microseconds), so untraced invocations cost
 * nothing and sampling needs no perf_event_open: it works under Docker's default seccomp profile.
 * Java frames come with names and no -XX:+PreserveFramePointer; each sample says whether the
 * thread was running or waiting. The profiler is one per JVM, so a new session ends the last one.
 */
final class AsyncSession extends InProcessSession {
    private static AsyncSession current; // guarded by AsyncSession.class

    private final AsyncProfiler profiler;
    private boolean recording = true; // guarded by AsyncSession.class

    private AsyncSession(AsyncProfiler profiler, int frequencyHz, Path jfr, CpuAccount cpu) {
        super(frequencyHz, jfr, cpu);
        this.profiler = profiler;
    }

    /**
     * Loads async-profiler's native library (from its jar, for this platform) and starts a
     * recording into {@code dir/name.jfr}, ending the one before.
     *
     * @throws EngineUnavailableException no library for this platform, or it cannot load or start
     */
    static AsyncSession start(int frequencyHz, Path dir, String name, CpuAccount cpu)
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
                profiler.execute(
                        "start,event=wall,interval=" + intervalMicros(frequencyHz) + "us,filter,jfr,file=" + jfr);
                cpu.registerNativeSince(before, "Async-profiler"); // its timer thread is tracer cost
            } catch (IOException | RuntimeException e) {
                throw new EngineUnavailableException("async-profiler cannot start: " + e.getMessage());
            }
            current = new AsyncSession(profiler, frequencyHz, jfr, cpu);
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

    /** The wall-clock interval for a frequency, in microseconds. */
    static long intervalMicros(int frequencyHz) {
        return Math.max(1, 1_000_000L / frequencyHz);
    }

    @Override
    public String engine() {
        return Engines.ASYNC;
    }

    @Override
    void include(Thread t) {
        profiler.addThread(t);
    }

    @Override
    void exclude(Thread t) {
        profiler.removeThread(t);
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
        return "async-profiler " + profiler.getVersion() + ", wall clock every " + intervalMicros(frequencyHz())
                + " us, only threads inside a traced invocation";
    }
}
