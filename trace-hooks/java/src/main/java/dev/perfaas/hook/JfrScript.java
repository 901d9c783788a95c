package dev.perfaas.hook;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns a JFR recording of execution samples (async-profiler's {@code profiler.WallClockSample},
 * the JDK's {@code jdk.ExecutionSample}) into the perf script text FlameScope reads, so the store,
 * FlameScope and everything downstream take it as they take perf's. Reads event by event and writes
 * the samples in time order ({@link TimeOrderedSamples}): a recording's order is not.
 *
 * <p>A sample is kept only when its time falls inside a traced invocation of its own thread.
 * Sample lines read {@code comm pid/tid [000] seconds.micros: 1 event:} with CLOCK_MONOTONIC
 * times, as perf's {@code -k CLOCK_MONOTONIC} gives, and one {@code \t0 frame (module)} line per
 * frame, innermost first. The event says the thread's state: {@code wall-running} (on CPU or
 * runnable) or {@code wall-waiting} for async-profiler, {@code jfr-running} for JFR (it samples
 * running threads only), so a CPU-only view keeps the samples whose event ends in "running".
 */
final class JfrScript {
    static final String RUNNING = "wall-running";
    static final String WAITING = "wall-waiting";
    static final String JFR_RUNNING = "jfr-running";
    private static final long PID = ProcessHandle.current().pid();

    private JfrScript() {}

    /** Realtime minus monotonic clock now, in ns: maps a recording's sample Instants to System.nanoTime(). */
    static long realtimeMinusMonotonicNanos() {
        Instant now = Instant.now();
        long mono = System.nanoTime();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
    }

    /**
     * @param traced       per Java thread id, the intervals (System.nanoTime()) of its traced invocations
     * @param description  a header line saying what sampled
     */
    static ProfileFile render(
            Path jfr,
            Path outGz,
            Map<Long, TracedIntervals.Lookup> traced,
            long realtimeMinusMonotonic,
            String description)
            throws IOException {
        return render(jfr, outGz, traced, realtimeMinusMonotonic, description, TimeOrderedSamples.DEFAULT);
    }

    /** As above, holding at most {@code inMemory} of the samples in memory while it puts them in time order. */
    static ProfileFile render(
            Path jfr,
            Path outGz,
            Map<Long, TracedIntervals.Lookup> traced,
            long realtimeMinusMonotonic,
            String description,
            TimeOrderedSamples.Bound inMemory)
            throws IOException {
        try (TimeOrderedSamples samples = new TimeOrderedSamples(outGz, inMemory)) {
            read(jfr, traced, realtimeMinusMonotonic, samples);
            if (samples.size() == 0) {
                return ProfileFile.EMPTY;
            }
            try (Writer out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(outGz), 1 << 16), StandardCharsets.UTF_8))) {
                out.write("# ========\n# perfaas profile, made in process from JFR\n# sampled by: " + description + "\n"
                        + "# events: " + RUNNING + " (on CPU or runnable), " + WAITING
                        + " (blocked, waiting or sleeping), "
                        + JFR_RUNNING + " (JFR samples running threads only)\n"
                        + "# kept: samples inside traced invocations of their own thread\n# ========\n#\n");
                samples.writeTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(outGz);
                throw e;
            }
            return new ProfileFile(outGz, samples.size(), samples.size());
        }
    }

    /** Renders each sample kept into {@code samples}, in the recording's order. */
    private static void read(
            Path jfr, Map<Long, TracedIntervals.Lookup> traced, long realtimeMinusMonotonic, TimeOrderedSamples samples)
            throws IOException {
        StringBuilder text = new StringBuilder(256);
        try (RecordingFile in = new RecordingFile(jfr)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String event = eventName(e);
                if (event == null) {
                    continue;
                }
                RecordedThread thread = e.getThread("sampledThread");
                RecordedStackTrace stack = e.getStackTrace();
                if (thread == null || stack == null) {
                    continue;
                }
                TracedIntervals.Lookup intervals = traced.get(thread.getJavaThreadId());
                Instant at = e.getStartTime();
                long mono = at.getEpochSecond() * 1_000_000_000L + at.getNano() - realtimeMinusMonotonic;
                if (intervals == null || !intervals.contains(mono)) {
                    continue;
                }
                text.setLength(0);
                String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
                appendHeader(text, name, PID, thread.getOSThreadId(), mono, event);
                for (RecordedFrame f : stack.getFrames()) {
                    String type = f.getMethod().getType() == null
                            ? null
                            : f.getMethod().getType().getName();
                    appendFrame(text, type, f.getMethod().getName(), f.getType());
                }
                samples.add(mono, text.append('\n').toString());
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the recording " + jfr.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The perf script event name of a sample event, or null for any other event. */
    static String eventName(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.ExecutionSample")) {
            return JFR_RUNNING;
        }
        if (!type.equals("profiler.WallClockSample")) {
            return null;
        }
        String state = e.hasField("state") ? e.getString("state") : null;
        if (state == null) {
            state = "";
        }
        return state.contains("RUNNABLE") || state.contains("RUNNING") ? RUNNING : WAITING;
    }

    /** {@code comm pid/tid [000] seconds.micros: 1 event:}, comm being the thread's name. */
    static void appendHeader(
            StringBuilder sb, String threadName, long pid, long tid, long monotonicNanos, String event) {
        appendText(sb, threadName == null || threadName.isBlank() ? "java" : threadName);
        sb.append(' ').append(pid).append('/').append(tid).append(" [000] ");
        long micros = offWholeSecond(Math.floorDiv(monotonicNanos, 1_000L));
        sb.append(micros / 1_000_000L).append('.');
        String frac = Long.toString(micros % 1_000_000L);
        sb.append("000000", 0, 6 - frac.length()).append(frac);
        sb.append(": 1 ").append(event).append(":\n");
    }

    /**
     * A sample time in microseconds as written: one on a whole second is written 1 us later.
     * FlameScope's heat map takes the last sample's time as a profile's end and makes ceil(end) -
     * floor(start) columns of a second (app/perf/heatmap.py, perf_read_offsets; app/controllers/heatmap.py),
     * so a last sample on a whole second falls one column past them: IndexError, HTTP 500. The order
     * stays: no written time lies between a whole second and 1 us after it, so a sample in that
     * microsecond is written the same and every later one later still.
     */
    static long offWholeSecond(long micros) {
        return micros % 1_000_000L == 0 ? micros + 1 : micros;
    }

    /**
     * One {@code \t0 Class.method (module)} line; frames go innermost first and a blank line ends
     * the sample. The address is 0: frames are named already, nothing is left to symbolize. The class
     * name is made the same in every JVM ({@link FrameNames}).
     */
    static void appendFrame(StringBuilder sb, String className, String method, String frameType) {
        sb.append("\t0 ");
        if (className != null && !className.isEmpty()) {
            appendText(sb, FrameNames.stable(className)).append('.');
        }
        appendText(sb, method).append(" (").append(module(frameType)).append(")\n");
    }

    /** A name as text on one line: a control character in it (a thread named with a '\r') would end or break the line. */
    private static StringBuilder appendText(StringBuilder sb, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb;
    }

    /** FlameScope colours frames by module: Java frames, native code, the kernel. */
    static String module(String frameType) {
        if (frameType == null) {
            return "java";
        }
        return switch (frameType) {
            case "Native", "C++" -> "native";
            case "Kernel" -> "[kernel.kallsyms]";
            default -> "java"; // Interpreted, JIT compiled, Inlined
        };
    }
}
