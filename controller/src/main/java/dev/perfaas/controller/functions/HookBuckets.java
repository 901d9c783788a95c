package dev.perfaas.controller.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The hook's latency buckets ({@code [[lowerBoundNanos, count], ...]}, non-empty buckets only) read
 * into HdrHistogram. The hook's LatencyHistogram keeps four buckets per power of two: values 0 to 3
 * exactly, then [2^m + s 2^(m-2), 2^m + (s+1) 2^(m-2)) for s in 0..3, each at most 25 % as wide as
 * its lower bound. A bucket is recorded at its midpoint, so what comes out is within half a bucket
 * (12.5 % of the value) plus HdrHistogram's own 1 %: inside the bucket's 25 %, which is all the
 * hook knew of the value. {@value #SIGNIFICANT_DIGITS} significant digits are that 1 %; more would
 * only store the midpoints finer.
 */
final class HookBuckets {
    static final int SIGNIFICANT_DIGITS = 2;
    private static final int SUB_BITS = 2;

    private HookBuckets() {}

    /** Sized as values come; reports are checked to hold bounds of at most ReportCheck.MAX_NANOS. */
    static Histogram histogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    /** The hook's bucket starting at {@code lower} ends here (exclusive). */
    static long upperBound(long lower) {
        if (lower < 1 << SUB_BITS) {
            return lower + 1;
        }
        int msb = 63 - Long.numberOfLeadingZeros(lower);
        return lower + (1L << (msb - SUB_BITS));
    }

    /** The value a bucket is recorded at: its midpoint, or the value itself below 4 ns. */
    static long representative(long lower) {
        return lower + (upperBound(lower) - lower) / 2;
    }

    static void record(Histogram h, List<long[]> buckets) {
        if (buckets == null) {
            return;
        }
        for (long[] b : buckets) {
            if (b[1] > 0) {
                h.recordValueWithCount(representative(b[0]), b[1]);
            }
        }
    }

    /**
     * {@code all} minus {@code part}, bucket by bucket, never below 0: the hook reads a part (the traced
     * invocations) before the whole, so an invocation ending in between is only in the whole.
     */
    static List<long[]> minus(List<long[]> all, List<long[]> part) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (long[] b : all) {
            counts.merge(b[0], b[1], Long::sum);
        }
        for (long[] b : part) {
            counts.computeIfPresent(b[0], (bound, c) -> Math.max(0, c - b[1]));
        }
        List<long[]> rest = new ArrayList<>(counts.size());
        counts.forEach((bound, c) -> {
            if (c > 0) {
                rest.add(new long[] {bound, c});
            }
        });
        return rest;
    }

    /**
     * {@code buckets} without one invocation of latency {@code nanos}, taken from the bucket that holds
     * it; nothing is taken when that bucket is absent.
     */
    static List<long[]> withoutOne(List<long[]> buckets, long nanos) {
        long[] holder = null;
        for (long[] b : buckets) {
            if (b[0] <= nanos && nanos < upperBound(b[0])) {
                holder = b;
            }
        }
        return holder == null ? buckets : minus(buckets, List.of(new long[] {holder[0], 1}));
    }
}
