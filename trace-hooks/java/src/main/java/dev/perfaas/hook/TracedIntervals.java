package dev.perfaas.hook;

import java.util.Arrays;

/**
 * The [start, end] System.nanoTime() intervals of the traced invocations of one perf session,
 * for attributing samples to invocations by timestamp. perf reacts to a toggle ~0.5-1 ms late,
 * so the share of samples inside these intervals tells how well sampling tracked invocations.
 * Bounded: past {@link #CAPACITY} intervals the rest are not kept, so their samples count as outside.
 */
final class TracedIntervals {
    static final int CAPACITY = 100_000;

    private long[] starts = new long[64];
    private long[] ends = new long[64];
    private int size;
    private long totalNanos;

    synchronized void add(long start, long end) {
        totalNanos += Math.max(0, end - start);
        if (size == CAPACITY) {
            return;
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** Traced wall time, overlaps counted once per invocation. */
    synchronized long totalNanos() {
        return totalNanos;
    }

    /** A frozen, searchable copy: call once the session has no invocation in flight. */
    synchronized Lookup lookup() {
        return new Lookup(Arrays.copyOf(starts, size), Arrays.copyOf(ends, size));
    }

    /** One frozen, searchable copy of several sets (null ones skipped). */
    static Lookup lookup(TracedIntervals... sets) {
        long[] starts = new long[0];
        long[] ends = new long[0];
        for (TracedIntervals t : sets) {
            if (t == null) {
                continue;
            }
            synchronized (t) {
                int at = starts.length;
                starts = Arrays.copyOf(starts, at + t.size);
                ends = Arrays.copyOf(ends, at + t.size);
                System.arraycopy(t.starts, 0, starts, at, t.size);
                System.arraycopy(t.ends, 0, ends, at, t.size);
            }
        }
        return new Lookup(starts, ends);
    }

    /** Membership test over overlapping intervals: sort by start, keep the running maximum end. */
    static final class Lookup {
        private final long[] starts;
        private final long[] maxEnds;

        Lookup(long[] starts, long[] ends) {
            Integer[] order = new Integer[starts.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
            this.starts = new long[starts.length];
            this.maxEnds = new long[starts.length];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < order.length; i++) {
                this.starts[i] = starts[order[i]];
                max = Math.max(max, ends[order[i]]);
                this.maxEnds[i] = max;
            }
        }

        boolean contains(long t) {
            int i = Arrays.binarySearch(starts, t);
            if (i < 0) {
                i = -i - 2; // last interval starting at or before t
            }
            return i >= 0 && maxEnds[i] >= t;
        }
    }
}
