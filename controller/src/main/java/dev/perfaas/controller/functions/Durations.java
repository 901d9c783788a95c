package dev.perfaas.controller.functions;

import java.util.Arrays;
import java.util.List;

/**
 * Every invocation's latency the hooks (or, through the node agent, a function's of-watchdog)
 * reported since the controller started, in Prometheus's
 * histogram buckets: a count per upper bound ({@code le}), the total count and the summed latency.
 * The bounds are the OpenFaaS gateway's ({@code gateway_functions_seconds}: Prometheus's defaults)
 * with 1 ms below and 60 s above, for functions that answer from memory and for batch work.
 *
 * <p>The hook's buckets are 25 % wide ({@link HookBuckets}); one is counted at the first bound its
 * whole range lies under. So a bound's count is exact but for the invocations within 25 % below it,
 * which may be counted at the next bound: {@code histogram_quantile} reads a little high, never low.
 */
public final class Durations {
    /** The upper bounds, in seconds, below +Inf. */
    public static final List<Double> BOUNDS_SECONDS =
            List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0);

    private static final long[] BOUNDS_NANOS =
            BOUNDS_SECONDS.stream().mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** Per bound, then +Inf; not cumulative. */
    private final long[] counts = new long[BOUNDS_NANOS.length + 1];

    private double sumSeconds;

    /** What Prometheus reads: cumulative counts per bound, the last one +Inf (the total), and the sum. */
    public record Snapshot(long[] cumulative, double sumSeconds) {
        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }

    /** The index of the bound that counts the hook's bucket starting at {@code lowerNanos} (the last: +Inf). */
    static int bound(long lowerNanos) {
        long highest = HookBuckets.upperBound(lowerNanos) - 1; // whole nanoseconds: the bucket's largest value
        int i = Arrays.binarySearch(BOUNDS_NANOS, highest);
        return i >= 0 ? i : -i - 1;
    }

    /** Adds one report: its buckets ({@code [[lowerBoundNanos, count], ...]}) and its summed latency. */
    void add(List<long[]> buckets, long wallNanos) {
        if (buckets != null) {
            for (long[] b : buckets) {
                int i = bound(b[0]);
                counts[i] = FunctionRecord.saturated(counts[i] + b[1]);
            }
        }
        sumSeconds += wallNanos / 1e9;
    }

    /**
     * Adds a window of an of-watchdog's requests: each of its buckets at the first bound at or above its
     * own (its bounds, Prometheus's defaults, are all among these), those above its last bound at +Inf.
     */
    void add(WindowReport.Watchdog w) {
        long counted = 0;
        if (w.durationBuckets() != null) {
            for (long[] b : w.durationBuckets()) {
                int i = Arrays.binarySearch(BOUNDS_NANOS, b[0]);
                i = i >= 0 ? i : -i - 1;
                counts[i] = FunctionRecord.saturated(counts[i] + b[1]);
                counted += b[1];
            }
        }
        counts[BOUNDS_NANOS.length] = FunctionRecord.saturated(counts[BOUNDS_NANOS.length] + w.requests() - counted);
        sumSeconds += w.latencySumNanos() / 1e9;
    }

    Snapshot snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running = FunctionRecord.saturated(running + counts[i]);
            cumulative[i] = running;
        }
        return new Snapshot(cumulative, sumSeconds);
    }
}
