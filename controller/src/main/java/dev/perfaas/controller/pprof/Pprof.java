package dev.perfaas.controller.pprof;

import dev.perfaas.controller.profiles.FoldedStacks;
import dev.perfaas.controller.profiles.PerfScriptReader;
import dev.perfaas.controller.profiles.ProfileHeader;
import dev.perfaas.controller.profiles.ProfileReads;
import dev.perfaas.controller.profiles.ProfileSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A stored profile as pprof (gzip, as pprof files are): built from the stored {@code perf script} text
 * (read by {@link PerfScriptReader}, as the dashboard reads it) and its {@link ProfileHeader}, so every
 * engine's profiles, the node agent's and seed uploads have one.
 * <ul>
 * <li>sample types {@code samples/count} and {@code cpu/nanoseconds} or {@code wall/nanoseconds}
 *     ({@link SampleKind}), period type the same, period 1e9 / the header's frequency; without a
 *     frequency (a seed upload) only the count;
 * <li>every sample labelled {@code function}, {@code instance}, {@code engine}, {@code version} from
 *     the header, and {@code state} ({@code running}, {@code waiting}) when its event says;
 * <li>{@code time_nanos}: the first sample's time on the epoch (perf's clock + the header's clock
 *     offset; 0 when the offset is unknown); {@code duration_nanos}: from the first sample to the last.
 *     profile.proto has no time per sample, so samples are aggregated by stack and labels;
 * <li>frames named as the dashboard names them ({@link PerfScriptReader.Line#frameName}), stacks
 *     leaf first as pprof wants them.
 * </ul>
 * Memory is bounded by {@link #MAX_FUNCTIONS} and {@link #MAX_STACKS} (what lies past them is counted
 * under one placeholder frame, never dropped), and {@link ProfileReads} limits reads at once.
 */
public final class Pprof {
    static final int MAX_FUNCTIONS = 100_000;
    static final int MAX_STACKS = 200_000;
    static final String MORE_FUNCTIONS = "(frame names past " + MAX_FUNCTIONS + ")";
    static final String MORE_STACKS = "(stacks past " + MAX_STACKS + ")";

    /**
     * A profile in pprof: {@code gzip} the file's bytes; {@code kind} what it samples; {@code samples}
     * samples read; times as in the profile ({@code timeNanos} 0: unknown).
     */
    public record Encoded(byte[] gzip, SampleKind kind, long samples, long timeNanos, long durationNanos) {}

    private Pprof() {}

    /** The stored profile {@code file} as pprof; 503 when {@link ProfileReads#MAX} profiles are being read. */
    public static Encoded of(Path file) throws IOException {
        return of(file, true);
    }

    /**
     * As above; without {@code instance} among the samples' labels when {@code withInstance} is false:
     * Grafana Pyroscope makes every string sample label a series label, and the Pyroscope push decides
     * when an instance may have series of its own.
     */
    public static Encoded of(Path file, boolean withInstance) throws IOException {
        ProfileHeader header = ProfileHeader.read(file);
        return ProfileReads.run(() -> {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return of(header, in, withInstance);
            }
        });
    }

    /** {@code perfScript} (stored text, whose header says {@code header}) as pprof. */
    static Encoded of(ProfileHeader header, InputStream perfScript) throws IOException {
        return of(header, perfScript, true);
    }

    private static Encoded of(ProfileHeader header, InputStream perfScript, boolean withInstance) throws IOException {
        long period = header.frequencyHz() == null ? 0 : Math.round(1e9 / header.frequencyHz());
        Samples samples = new Samples(new PprofBuilder(period), header, withInstance);
        PerfScriptReader.read(perfScript, samples);
        SampleKind kind = SampleKind.of(header.engine(), samples.count > 0 && samples.everyEventWall);
        long first = Math.round(samples.first * 1e9);
        long time = samples.count == 0 || header.clockOffsetNanos() == null ? 0 : first + header.clockOffsetNanos();
        long duration = samples.count == 0 ? 0 : Math.round(samples.last * 1e9) - first;
        byte[] raw = samples.pprof.encode(kind, time, duration);
        return new Encoded(gzip(raw), kind, samples.count, time, duration);
    }

    /**
     * Merged stacks as {@link dev.perfaas.controller.profiles.MergedProfiles} answers them (each {@code
     * {count, name index from the root, ...}}; {@code other} samples past them) as gzipped pprof. Only
     * {@code samples/count}: a merge may span profiles sampled at different frequencies, and pprof has
     * one period. {@code labels} ({@code key, value, ...}) go on every sample; {@code timeNanos} and
     * {@code durationNanos} are the range's.
     */
    public static byte[] ofStacks(
            List<String> names, List<long[]> stacks, long other, String[] labels, long timeNanos, long durationNanos) {
        PprofBuilder pprof = new PprofBuilder(0);
        int set = pprof.labels(labels);
        for (long[] stack : stacks) {
            int[] leafFirst = new int[Math.max(1, stack.length - 1)];
            if (stack.length == 1) {
                leafFirst[0] = pprof.function(FoldedStacks.NO_FRAMES);
            }
            for (int i = 1; i < stack.length; i++) {
                leafFirst[stack.length - 1 - i] = pprof.function(names.get((int) stack[i]));
            }
            pprof.add(leafFirst, set, stack[0]);
        }
        if (other > 0) {
            pprof.add(new int[] {pprof.function(FoldedStacks.OTHER_STACKS)}, set, other);
        }
        return gzip(pprof.encode(SampleKind.CPU, timeNanos, durationNanos));
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    /** Each sample into the builder as its stack ends. */
    private static final class Samples implements PerfScriptReader.Lines {
        final PprofBuilder pprof;
        private final String[] headerLabels;
        private final Map<String, Integer> labelsOfEvent = new HashMap<>();
        private int[] frames = new int[64];
        private int depth;
        private boolean inSample;
        private int labels;
        long count;
        boolean everyEventWall = true;
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;

        Samples(PprofBuilder pprof, ProfileHeader h, boolean withInstance) {
            this.pprof = pprof;
            headerLabels = withInstance
                    ? new String[] {
                        "function", h.function(), "instance", h.instance(), "engine", h.engine(), "version", h.version()
                    }
                    : new String[] {"function", h.function(), "engine", h.engine(), "version", h.version()};
        }

        @Override
        public void sample(double time, PerfScriptReader.Line line) {
            count++;
            first = Math.min(first, time);
            last = Math.max(last, time);
            String event = line.event();
            everyEventWall &= event.startsWith(SampleKind.WALL_EVENT);
            labels = labelsOfEvent.computeIfAbsent(event, e -> pprof.labels(labels(e)));
            inSample = true;
        }

        @Override
        public void frame(PerfScriptReader.Line line) {
            if (!inSample) {
                return;
            }
            if (depth == frames.length) {
                frames = Arrays.copyOf(frames, depth * 2);
            }
            String name = line.frameName(ProfileSamples.MAX_NAME_CHARS);
            boolean room = pprof.functions() < MAX_FUNCTIONS || pprof.hasFunction(name);
            frames[depth++] = pprof.function(room ? name : MORE_FUNCTIONS);
        }

        @Override
        public void endStack() {
            if (!inSample) {
                return;
            }
            inSample = false;
            int[] stack = Arrays.copyOf(frames, depth);
            depth = 0;
            if (pprof.stacks() >= MAX_STACKS && !pprof.holds(stack, labels)) {
                stack = new int[] {pprof.function(MORE_STACKS)};
            }
            pprof.add(stack, labels, 1);
        }

        @Override
        public void skipped() {
            // neither a sample nor a frame: uploads hold none, a file put there by hand may
        }

        /** The header's labels, and {@code state} for a hook's wall event ({@code wall-running}: running). */
        private String[] labels(String event) {
            if (!event.startsWith(SampleKind.WALL_EVENT) || event.length() == SampleKind.WALL_EVENT.length()) {
                return headerLabels;
            }
            String[] withState = Arrays.copyOf(headerLabels, headerLabels.length + 2);
            withState[headerLabels.length] = "state";
            withState[headerLabels.length + 1] = event.substring(SampleKind.WALL_EVENT.length());
            return withState;
        }
    }
}
