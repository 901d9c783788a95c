package dev.perfaas.hook;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Samples one slow invocation's thread with {@link Thread#getStackTrace()} (a handshake with that
 * thread only, tens of microseconds) until the invocation ends, streaming each sample as perf
 * script text in the format of {@link JfrScript}, so FlameScope and the store read it like any
 * profile. Wall-clock sampling: a sleeping or blocked call shows where it waits. The tid is the
 * Java thread id. Watcher thread only: samples are taken one after another and timed with
 * {@link System#nanoTime()} as taken, so the file is in time order as FlameScope needs.
 */
final class SlowCapture {
    /** At most this many samples per capture: 60 s at the finest interval, 10 ms. */
    static final int MAX_SAMPLES = 6_000;

    private static final long PID = ProcessHandle.current().pid();

    final Invocation invocation;
    final long startNanos;
    final long startMillis;
    final String callId;
    final long thresholdMillis;
    private final long intervalMillis;
    private final Path file;
    private final Writer out;
    private final StringBuilder line = new StringBuilder(4096);
    private long samples;

    private SlowCapture(
            Invocation invocation,
            long startNanos,
            String callId,
            long thresholdMillis,
            long intervalMillis,
            Path file,
            Writer out) {
        this.invocation = invocation;
        this.startNanos = startNanos;
        this.startMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        this.callId = callId;
        this.thresholdMillis = thresholdMillis;
        this.intervalMillis = intervalMillis;
        this.file = file;
        this.out = out;
    }

    static SlowCapture start(
            Invocation inv, long startNanos, String callId, long thresholdMillis, long intervalMillis, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("slow-" + inv.thread.getId() + "-" + startNanos + ".perf.gz");
        Writer out = ProfileFile.writer(file);
        try {
            out.write("# ========\n# perfaas slow call, sampled in process by the hook's stack sampler\n"
                    + "# call: " + (callId == null ? "no X-Call-Id" : callId) + "; threshold " + thresholdMillis
                    + " ms; one sample every " + intervalMillis + " ms from the threshold to the call's end\n"
                    + "# events: " + JfrScript.Clock.WALL.events + "\n# ========\n#\n");
        } catch (IOException e) {
            out.close();
            Files.deleteIfExists(file);
            throw e;
        }
        return new SlowCapture(inv, startNanos, callId, thresholdMillis, intervalMillis, file, out);
    }

    /** Takes one sample of the invocation's thread, unless the capture holds its most already. */
    void sample() throws IOException {
        if (samples >= MAX_SAMPLES) {
            return;
        }
        Thread t = invocation.thread;
        StackTraceElement[] stack = t.getStackTrace();
        Thread.State state = t.getState();
        long now = System.nanoTime();
        if (stack.length == 0 || invocation.runningSince() != startNanos) {
            return; // it ended meanwhile
        }
        line.setLength(0);
        JfrScript.appendHeader(
                line,
                t.getName(),
                PID,
                t.getId(),
                now,
                state == Thread.State.RUNNABLE ? JfrScript.RUNNING : JfrScript.WAITING);
        for (StackTraceElement e : stack) {
            JfrScript.appendFrame(line, e.getClassName(), e.getMethodName(), e.isNativeMethod() ? "Native" : null);
        }
        out.append(line).append('\n');
        samples++;
    }

    /** Completes the file; null when it holds fewer samples than FlameScope opens (the file is removed). */
    SlowCall finish(double latencyMillis, boolean ended) throws IOException {
        out.close();
        if (samples < ProfileFile.MIN_SAMPLES) {
            Files.deleteIfExists(file);
            return null;
        }
        return new SlowCall(
                file,
                startMillis,
                callId,
                latencyMillis,
                thresholdMillis,
                ended,
                samples,
                1000.0 / intervalMillis,
                JfrScript.realtimeMinusMonotonicNanos());
    }

    void abandon() {
        SpoolFiles.closeQuietly(out);
        SpoolFiles.deleteQuietly(file);
    }
}
