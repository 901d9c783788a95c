package dev.perfaas.hook;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency distribution with fixed log-linear buckets: four buckets per power of two (so a value
 * is known within 25%), lock-free and allocation-free to record, which is all a per-window
 * report needs. Bucket i covers [lowerBound(i), lowerBound(i + 1)).
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 2;
    private static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = (63 - SUB_BITS) * SUB + SUB; // the last bucket holds Long.MAX_VALUE

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucketOf(Math.max(0, nanos)));
    }

    static int bucketOf(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (msb - SUB_BITS)) & (SUB - 1);
        return (msb - SUB_BITS + 1) * SUB + sub;
    }

    static long lowerBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int msb = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        return (1L << msb) | (sub << (msb - SUB_BITS));
    }

    long count(int bucket) {
        return counts.get(bucket);
    }

    /** Appends the non-empty buckets as JSON pairs {@code [[lowerBoundNanos, count], ...]}. */
    StringBuilder appendJson(StringBuilder sb) {
        sb.append('[');
        boolean first = true;
        for (int i = 0; i < BUCKETS; i++) {
            long c = counts.get(i);
            if (c == 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('[').append(lowerBound(i)).append(',').append(c).append(']');
        }
        return sb.append(']');
    }
}
