package dev.perfaas.controller.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored profile read for the dashboard: a heat map of when its samples fell (FlameScope's
 * columns of one second, rows of 20 ms) and its stacks aggregated, root first, optionally only those
 * of a time range. One streaming pass; memory is bounded by {@link StackReader}'s caps and the heat
 * map's whatever the file's size, so a 64 MiB profile answers a few hundred KB and holds a few tens of
 * MB while read (two such reads at once at most: {@link ProfileReads}). Lines are read by
 * {@link PerfScriptReader}, stacks counted by {@link StackReader}.
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
    /** Longest frame name kept, here and in pprof; longer names are cut. */
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
     * when {@link ProfileReads#MAX} profiles are being read already.
     */
    public static Samples read(String file, InputStream in, Double from, Double to) throws IOException {
        return ProfileReads.run(() -> {
            Reader r = new Reader(
                    from == null ? Double.NEGATIVE_INFINITY : from, to == null ? Double.POSITIVE_INFINITY : to);
            r.readAll(in);
            return r.result(file, from, to);
        });
    }

    /** A {@link StackReader} that selects samples by time and keeps the heat map of all of them. */
    private static final class Reader extends StackReader {
        private final double from;
        private final double to;
        private final Map<Long, int[]> buckets = new HashMap<>(); // absolute 20 ms bucket -> count
        private long outside;
        private double first = Double.POSITIVE_INFINITY;
        private double last = Double.NEGATIVE_INFINITY;

        Reader(double from, double to) {
            this.from = from;
            this.to = to;
        }

        @Override
        boolean sample(double time) {
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
            return time >= from && time <= to;
        }

        Samples result(String file, Double fromAsked, Double toAsked) {
            long samples = samples();
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
            StackReader.Stacks heaviest = heaviest();
            return new Samples(
                    file,
                    samples,
                    counted(),
                    fromAsked,
                    toAsked,
                    samples == 0 ? null : first,
                    samples == 0 ? null : last,
                    firstSecond,
                    BUCKETS_PER_SECOND,
                    heatmap,
                    outside,
                    heaviest.names(),
                    heaviest.stacks(),
                    heaviest.otherStacks(),
                    skippedLines());
        }
    }
}
