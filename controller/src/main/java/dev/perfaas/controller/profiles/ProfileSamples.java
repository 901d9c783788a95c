package dev.perfaas.controller.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored profile read for the dashboard: a heat map of when its samples fell (FlameScope's
 * columns of one second, rows of 20 ms) and its stacks aggregated, root first, optionally only those
 * of a time range. One streaming pass; memory is bounded by the caps below whatever the file's size,
 * so a 64 MiB profile answers a few hundred KB and holds a few tens of MB while read (two such reads
 * at once at most: {@link ProfileReads}). Lines are read by {@link PerfScriptReader}.
 */
public final class ProfileSamples {

    /** FlameScope's heat map rows: 50 a second. */
    public static final int BUCKETS_PER_SECOND = 50;
    /** The heat map spans at most an hour from the first sample (a profile spans 10 windows at most). */
    static final int MAX_SECONDS = 3600;
    /**
     * Distinct 20 ms buckets held while reading: an hour's worth, as many as the heat map can show.
     * Samples in further buckets (a file spanning more than the heat map) count as outside it.
     */
    static final int MAX_BUCKETS_READ = MAX_SECONDS * BUCKETS_PER_SECOND;
    /** Distinct stacks held while reading; a sample with a stack past these is counted in otherStacks. */
    static final int MAX_STACKS_READ = 20_000;
    /** Stacks answered: the heaviest ones. */
    static final int MAX_STACKS_ANSWERED = 5_000;
    /** Frames kept of a stack, from its root; deeper ones (nearer the leaf) are cut. */
    static final int MAX_DEPTH = 256;
    /** Distinct frame names held; further names read as {@link #MORE_NAMES}. */
    static final int MAX_NAMES = 50_000;

    static final String MORE_NAMES = "(frame names past " + MAX_NAMES + ")";
    /** Longest frame name kept; longer names are cut. */
    public static final int MAX_NAME_CHARS = 300;

    /**
     * What the dashboard draws. {@code names} is the frame name table; each stack is
     * {@code [count, name index of the root frame, ..., of the leaf]}. Times are perf's seconds.
     * {@code firstSecond} is the heat map's first column (the first sample's second); {@code heatmap}
     * holds {@code BUCKETS_PER_SECOND} counts per second from it.
     */
    public record Samples(
            String file,
            long samples,
            long selected,
            Double from,
            Double to,
            Double firstSample,
            Double lastSample,
            long firstSecond,
            int bucketsPerSecond,
            int[] heatmap,
            long outsideHeatmap,
            List<String> names,
            List<long[]> stacks,
            long otherStacks,
            long skippedLines) {}

    private ProfileSamples() {}

    /**
     * Reads {@code in}; stacks count only for samples with a time in [from, to] (null: unbounded). A 503
     * when {@link ProfileReads#MAX} are being read already.
     */
    public static Samples read(String file, InputStream in, Double from, Double to) throws IOException {
        return ProfileReads.run(() -> {
            Reader r = new Reader(
                    from == null ? Double.NEGATIVE_INFINITY : from, to == null ? Double.POSITIVE_INFINITY : to);
            PerfScriptReader.read(in, r);
            return r.result(file, from, to);
        });
    }

    private static final class Reader implements PerfScriptReader.Lines {
        private final double from;
        private final double to;
        private final Map<String, Integer> nameIndex = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final Map<String, long[]> stacks = new HashMap<>(); // key: name indices root first; value: {count}
        private final Map<Long, int[]> buckets = new HashMap<>(); // absolute 20 ms bucket -> count
        // The sample's last MAX_DEPTH frames (perf prints the leaf first, so these are the root's end), in a ring.
        private final int[] frames = new int[MAX_DEPTH];
        private int frameCount;
        private boolean inSample; // the current sample is selected: its frames count
        private long samples;
        private long selected;
        private long otherStacks;
        private long skipped;
        private long outside;
        private double first = Double.POSITIVE_INFINITY;
        private double last = Double.NEGATIVE_INFINITY;

        Reader(double from, double to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void skipped() {
            skipped++;
        }

        @Override
        public void frame(PerfScriptReader.Line line) {
            if (inSample) {
                frames[frameCount++ % MAX_DEPTH] = name(line.frameName(MAX_NAME_CHARS));
            }
        }

        @Override
        public void sample(double time, PerfScriptReader.Line line) {
            samples++;
            first = Math.min(first, time);
            last = Math.max(last, time);
            long bucket = (long) Math.floor(time * BUCKETS_PER_SECOND);
            int[] count = buckets.get(bucket);
            if (count == null && buckets.size() < MAX_BUCKETS_READ) {
                buckets.put(bucket, count = new int[1]);
            }
            if (count != null) {
                count[0]++;
            } else {
                outside++;
            }
            inSample = time >= from && time <= to;
            if (inSample) {
                selected++;
            }
        }

        @Override
        public void endStack() {
            if (!inSample) {
                return;
            }
            inSample = false;
            StringBuilder key = new StringBuilder();
            for (int k = 1; k <= Math.min(frameCount, MAX_DEPTH); k++) { // from the root
                key.append(frames[(frameCount - k) % MAX_DEPTH]).append(';');
            }
            frameCount = 0;
            long[] count = stacks.get(key.toString());
            if (count == null) {
                if (stacks.size() >= MAX_STACKS_READ) {
                    otherStacks++;
                    return;
                }
                count = new long[1];
                stacks.put(key.toString(), count);
            }
            count[0]++;
        }

        private int name(String name) {
            Integer index = nameIndex.get(name);
            if (index == null && names.size() >= MAX_NAMES) {
                index = nameIndex.get(MORE_NAMES);
            }
            if (index == null) {
                name = names.size() >= MAX_NAMES ? MORE_NAMES : name;
                index = names.size();
                names.add(name);
                nameIndex.put(name, index);
            }
            return index;
        }

        Samples result(String file, Double fromAsked, Double toAsked) {
            long firstSecond = samples == 0 ? 0 : (long) Math.floor(first);
            long span = samples == 0 ? 0 : Math.min(MAX_SECONDS, (long) Math.floor(last) - firstSecond + 1);
            int[] heatmap = new int[(int) span * BUCKETS_PER_SECOND];
            long base = firstSecond * BUCKETS_PER_SECOND;
            for (Map.Entry<Long, int[]> e : buckets.entrySet()) {
                long at = e.getKey() - base;
                if (at >= 0 && at < heatmap.length) {
                    heatmap[(int) at] += e.getValue()[0];
                } else {
                    outside += e.getValue()[0];
                }
            }
            List<Map.Entry<String, long[]>> heaviest = new ArrayList<>(stacks.entrySet());
            heaviest.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                    .reversed());
            long other = otherStacks;
            // Only the names the answered stacks use, renumbered.
            Map<Integer, Integer> renumbered = new HashMap<>();
            List<String> usedNames = new ArrayList<>();
            List<long[]> answered = new ArrayList<>();
            for (int s = 0; s < heaviest.size(); s++) {
                Map.Entry<String, long[]> e = heaviest.get(s);
                if (s >= MAX_STACKS_ANSWERED) {
                    other += e.getValue()[0];
                    continue;
                }
                String[] parts =
                        e.getKey().isEmpty() ? new String[0] : e.getKey().split(";");
                long[] stack = new long[parts.length + 1];
                stack[0] = e.getValue()[0];
                for (int i = 0; i < parts.length; i++) {
                    int old = Integer.parseInt(parts[i]);
                    stack[i + 1] = renumbered.computeIfAbsent(old, o -> {
                        usedNames.add(names.get(o));
                        return usedNames.size() - 1;
                    });
                }
                answered.add(stack);
            }
            return new Samples(
                    file,
                    samples,
                    selected,
                    fromAsked,
                    toAsked,
                    samples == 0 ? null : first,
                    samples == 0 ? null : last,
                    firstSecond,
                    BUCKETS_PER_SECOND,
                    heatmap,
                    outside,
                    usedNames,
                    answered,
                    other,
                    skipped);
        }
    }
}
