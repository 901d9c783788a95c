package dev.perfaas.hook;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.ExecutionSample;

/**
 * Turns a JFR recording of execution samples (async-profiler's {@code profiler.WallClockSample} or
 * {@code jdk.ExecutionSample}, the JDK's {@code jdk.ExecutionSample}) into the perf script text
 * FlameScope reads, so the store, FlameScope and everything downstream take it as they take perf's.
 * Reads event by event and writes the samples in time order ({@link TimeOrderedSamples}): a
 * recording's order is not.
 *
 * <p>A sample is kept only when its time falls inside a traced invocation of its own thread.
 * Sample lines read {@code comm pid/tid [000] seconds.micros: 1 event:} with CLOCK_MONOTONIC
 * times, as perf's {@code -k CLOCK_MONOTONIC} gives, and one {@code \t0 frame (module)} line per
 * frame, innermost first. The event says the thread's state: {@code wall-running} (on CPU or
 * runnable) or {@code wall-waiting} for async-profiler's wall clock, {@code cpu-running} for its CPU
 * time, {@code jfr-running} for JFR (it samples running threads only), so a CPU-only view keeps the
 * samples whose event ends in "running". async-profiler's wall clock writes an idle thread's samples
 * as one event of up to {@link #MAX_BATCH} samples (its WALL_BATCH mode): each is written as a sample
 * of its own, one interval after the one before, as the timer took them.
 */
final class JfrScript {
    static final String RUNNING = "wall-running";
    static final String WAITING = "wall-waiting";
    static final String CPU_RUNNING = "cpu-running";
    static final String JFR_RUNNING = "jfr-running";
    private static final long PID = ProcessHandle.current().pid();
    /** async-profiler's MAX_IDLE_BATCH (wallClock.h): more in one event is a damaged recording's. */
    static final int MAX_BATCH = 1_000;

    private static final String THREAD_STATE = "jdk.types.ThreadState";
    private static final String FRAME_TYPE = "jdk.types.FrameType";

    private JfrScript() {}

    /**
     * What a recording's samples measure, which names their events, and whether its ticks are
     * System.nanoTime(): async-profiler's are CLOCK_MONOTONIC nanoseconds unless it shares the JVM's
     * TSC ticks (-XX:+UseFastUnorderedTimeStamps), whose rate is not exactly 1 GHz. The JDK's ticks
     * count from an origin of its own.
     */
    enum Clock {
        /** async-profiler's wall clock: running or waiting, by the thread's state. */
        WALL(null, RUNNING + " (on CPU or runnable), " + WAITING + " (blocked, waiting or sleeping)", true),
        /** async-profiler's CPU-time timers. */
        CPU(CPU_RUNNING, CPU_RUNNING + " (a period of the thread's CPU time)", true),
        /** The JDK's execution samples: running threads only. */
        JFR_CPU(JFR_RUNNING, JFR_RUNNING + " (JFR samples running threads only)", false);

        private final String event;
        /** The profile header's list of the events, with what each means. */
        final String events;

        private final boolean monotonicTicks;

        Clock(String event, String events, boolean monotonicTicks) {
            this.event = event;
            this.events = events;
            this.monotonicTicks = monotonicTicks;
        }

        /**
         * A tick of the recording as System.nanoTime(). Ticks that are CLOCK_MONOTONIC are taken as
         * they are: the chunk's wall-clock start and the realtime offset are each two clock reads, a
         * few microseconds apart from the other pair, and on a busy machine a thread resumes at the
         * kernel's tick, takes its sample there and ends its invocation microseconds later, so a few
         * microseconds put whole runs of samples on the wrong side of an invocation's edge.
         */
        long monotonicNanos(JfrReader in, long ticks, long realtimeMinusMonotonic) {
            return monotonicTicks && in.ticksPerSec == 1_000_000_000L
                    ? ticks
                    : in.eventTimeToNanos(ticks) - realtimeMinusMonotonic;
        }

        String event(String threadState) {
            return event != null ? event : eventName(threadState);
        }
    }

    /** Realtime minus monotonic clock now, in ns: maps a recording's wall-clock times to System.nanoTime(). */
    static long realtimeMinusMonotonicNanos() {
        Instant now = Instant.now();
        long mono = System.nanoTime();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
    }

    /**
     * @param traced       per Java thread id, the intervals (System.nanoTime()) of its traced invocations
     * @param realtimeMinusMonotonic maps the recording's wall-clock times to System.nanoTime(), for
     *     ticks that are not System.nanoTime() themselves ({@link Clock#monotonicNanos})
     * @param clock         what the samples measure
     * @param intervalNanos the sampling interval: the wall clock's batches of samples are spread by it
     * @param description   a header line saying what sampled
     */
    static ProfileFile render(
            Path jfr,
            Path outGz,
            Map<Long, TracedIntervals.Lookup> traced,
            long realtimeMinusMonotonic,
            Clock clock,
            long intervalNanos,
            String description)
            throws IOException {
        return render(
                jfr,
                outGz,
                traced,
                realtimeMinusMonotonic,
                clock,
                intervalNanos,
                description,
                TimeOrderedSamples.DEFAULT);
    }

    /**
     * As above, holding at most {@code inMemory} of the samples in memory while it puts them in time
     * order, and reading the recording whole only when it is no more bytes than that bound's characters.
     */
    static ProfileFile render(
            Path jfr,
            Path outGz,
            Map<Long, TracedIntervals.Lookup> traced,
            long realtimeMinusMonotonic,
            Clock clock,
            long intervalNanos,
            String description,
            TimeOrderedSamples.Bound inMemory)
            throws IOException {
        try (TimeOrderedSamples samples = new TimeOrderedSamples(outGz, inMemory)) {
            read(jfr, traced, realtimeMinusMonotonic, clock, intervalNanos, samples, inMemory);
            if (samples.size() == 0) {
                return ProfileFile.EMPTY;
            }
            try (Writer out = ProfileFile.writer(outGz)) {
                out.write("# ========\n# perfaas profile, made in process from JFR\n# sampled by: " + description + "\n"
                        + "# events: " + clock.events + "\n"
                        + "# kept: samples inside traced invocations of their own thread\n# ========\n#\n");
                samples.writeTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(outGz);
                throw e;
            }
            return new ProfileFile(outGz, samples.size(), samples.size());
        }
    }

    /**
     * Renders each sample kept into {@code samples}, in the recording's order. A recording within the
     * memory bound is read whole (a few tens of bytes a sample: stacks are written once); a larger one
     * streams through the reader's 2 MB direct buffer, which it zeroes and which only a GC frees.
     */
    private static void read(
            Path jfr,
            Map<Long, TracedIntervals.Lookup> traced,
            long realtimeMinusMonotonic,
            Clock clock,
            long intervalNanos,
            TimeOrderedSamples samples,
            TimeOrderedSamples.Bound inMemory)
            throws IOException {
        StringBuilder text = new StringBuilder(256);
        try (JfrReader in = Files.size(jfr) <= inMemory.chars()
                ? new JfrReader(ByteBuffer.wrap(Files.readAllBytes(jfr)))
                : new JfrReader(jfr.toString())) {
            Stacks stacks = new Stacks(in);
            Map<Integer, String> states = in.enums.getOrDefault(THREAD_STATE, Map.of());
            for (ExecutionSample e; (e = in.readEvent(ExecutionSample.class)) != null; ) {
                String frames = stacks.text(e.stackTraceId);
                Long javaThread = in.javaThreads.get(e.tid);
                if (frames == null || javaThread == null) {
                    continue;
                }
                TracedIntervals.Lookup intervals = traced.get(javaThread);
                if (intervals == null) {
                    continue;
                }
                if (e.samples < 1 || e.samples > MAX_BATCH) {
                    throw new IOException("an event of " + e.samples + " samples");
                }
                long first = clock.monotonicNanos(in, e.time, realtimeMinusMonotonic);
                String event = clock.event(states.get(e.threadState));
                String thread = in.threads.get(e.tid);
                for (int i = 0; i < e.samples; i++) {
                    long mono = first + i * intervalNanos;
                    if (intervals.contains(mono)) {
                        text.setLength(0);
                        appendHeader(text, thread, PID, e.tid, mono, event);
                        samples.add(mono, text.append(frames).append('\n').toString());
                    }
                }
            }
            if (in.incomplete()) {
                throw new IOException("it ends inside a chunk");
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the recording " + jfr.getFileName() + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // The reader sizes arrays by counts read from the file (strings, a stack's frames); a damaged
            // count beyond the heap is refused by the JVM at that allocation, before anything is kept.
            throw new IOException(
                    "cannot read the recording " + jfr.getFileName() + ": a count in it asks for more memory"
                            + " than the JVM has (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * The perf script event name of a wall-clock sample's thread state ({@code STATE_RUNNABLE},
     * {@code STATE_SLEEPING}, ...): a thread on CPU or runnable ran, any other waited.
     */
    static String eventName(String threadState) {
        return threadState != null && (threadState.contains("RUNNABLE") || threadState.contains("RUNNING"))
                ? RUNNING
                : WAITING;
    }

    /**
     * A recording's stacks as frame lines, each made once: the recording writes a stack once for all
     * the samples that share it, and a sampled function repeats few stacks.
     */
    private static final class Stacks {
        private final JfrReader in;
        private final Map<Integer, String> stacks = new HashMap<>();
        private final Map<Long, String> symbols = new HashMap<>();

        Stacks(JfrReader in) {
            this.in = in;
        }

        /** A stack's frame lines, innermost first; null for a stack the recording does not hold. */
        String text(int stackTraceId) {
            String text = stacks.get(stackTraceId);
            if (text == null) {
                StackTrace stack = in.stackTraces.get(stackTraceId);
                if (stack == null) {
                    return null;
                }
                StringBuilder sb = new StringBuilder(64 * stack.methods.length);
                for (int i = 0; i < stack.methods.length; i++) {
                    MethodRef m = in.methods.get(stack.methods[i]);
                    ClassRef c = m == null ? null : in.classes.get(m.cls);
                    // JFR names classes as the JVM does, java/lang/String; a frame of no class has none
                    String cls = c == null ? null : symbol(c.name).replace('/', '.');
                    appendFrame(sb, cls, m == null ? "[unknown]" : symbol(m.name), frameType(stack.types[i]));
                }
                text = sb.toString();
                stacks.put(stackTraceId, text);
            }
            return text;
        }

        private String symbol(long id) {
            return symbols.computeIfAbsent(id, k -> {
                byte[] b = in.symbols.get(k);
                return b == null ? "" : new String(b, StandardCharsets.UTF_8);
            });
        }

        private String frameType(byte type) {
            Map<Integer, String> names = in.enums.get(FRAME_TYPE);
            return names == null ? "" : names.getOrDefault(type & 0xff, "");
        }
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
