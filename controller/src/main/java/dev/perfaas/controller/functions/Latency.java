package dev.perfaas.controller.functions;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A function's latency in GET /v1/functions/{function}: over its last report ({@code window}) and
 * pooled over the reports kept for it ({@code pooled}, at most FunctionRegistry.KEPT_REPORTS).
 */
public record Latency(Period window, Period pooled) {

    static Latency of(List<WindowReport> kept) {
        if (kept.isEmpty()) {
            return null;
        }
        return new Latency(Period.of(kept.subList(kept.size() - 1, kept.size())), Period.of(kept));
    }

    /**
     * Percentiles of all invocations and split: cold (each instance's first invocation, the
     * coldStart of its report) and warm (all the others); traced and untraced (all minus traced),
     * over the reports whose hook sends traced latencies. With where an invocation's time goes and
     * how many run at once.
     */
    public record Period(
            long reports,
            long invocations,
            Percentiles all,
            Percentiles warm,
            Percentiles cold,
            Percentiles traced,
            Percentiles untraced,
            OnCpu onCpu,
            Concurrency concurrency) {

        static Period of(List<WindowReport> reports) {
            Histogram all = HookBuckets.histogram();
            Histogram warm = HookBuckets.histogram();
            Histogram cold = HookBuckets.histogram();
            Histogram traced = HookBuckets.histogram();
            Histogram untraced = HookBuckets.histogram();
            long invocations = 0;
            for (WindowReport r : reports) {
                invocations += r.invocations();
                List<long[]> buckets = r.latencyBuckets() == null ? List.of() : r.latencyBuckets();
                HookBuckets.record(all, buckets);
                if (r.coldStart() != null) {
                    long first = r.coldStart().firstInvocationNanos();
                    cold.recordValue(first);
                    HookBuckets.record(warm, HookBuckets.withoutOne(buckets, first));
                } else {
                    HookBuckets.record(warm, buckets);
                }
                if (r.tracedLatencyBuckets() != null) {
                    HookBuckets.record(traced, r.tracedLatencyBuckets());
                    HookBuckets.record(untraced, HookBuckets.minus(buckets, r.tracedLatencyBuckets()));
                }
            }
            return new Period(
                    reports.size(),
                    invocations,
                    Percentiles.of(all),
                    Percentiles.of(warm),
                    Percentiles.of(cold),
                    Percentiles.of(traced),
                    Percentiles.of(untraced),
                    OnCpu.of(reports),
                    Concurrency.of(reports));
        }
    }

    /**
     * The coarse breakdown of an invocation's time: the share of its wall time on CPU (thread CPU over
     * wall), the rest waiting (I/O, locks, the scheduler). Traced, and the untraced control group
     * measured alike: their difference is what sampling adds on CPU.
     */
    public record OnCpu(Share traced, Share untraced) {
        static OnCpu of(List<WindowReport> reports) {
            long tracedCpu = 0,
                    tracedWall = 0,
                    tracedMeasured = 0,
                    controlCpu = 0,
                    controlWall = 0,
                    controlMeasured = 0;
            for (WindowReport r : reports) {
                // Hooks that predate the wall of measured invocations are left out of both sums.
                if (r.tracedWallNanos() != null) {
                    tracedCpu += r.tracedCpuNanos();
                    tracedWall += r.tracedWallNanos();
                    tracedMeasured += r.tracedMeasured();
                }
                if (r.controlWallNanos() != null) {
                    controlCpu += r.controlCpuNanos();
                    controlWall += r.controlWallNanos();
                    controlMeasured += r.controlMeasured();
                }
            }
            return new OnCpu(
                    Share.of(tracedMeasured, tracedCpu, tracedWall),
                    Share.of(controlMeasured, controlCpu, controlWall));
        }
    }

    /** {@code onCpu} = cpuNanos / wallNanos over {@code measured} invocations; null without wall time. */
    public record Share(long measured, long cpuNanos, long wallNanos, Double onCpu) {
        static Share of(long measured, long cpuNanos, long wallNanos) {
            return new Share(measured, cpuNanos, wallNanos, wallNanos > 0 ? (double) cpuNanos / wallNanos : null);
        }
    }

    /**
     * Invocations in flight on one instance. The mean is Little's law: the invocations' wall time over
     * the windows' length (summed over instances, so an instance's mean); the max is the highest an
     * instance's hook counted. Null where no report says.
     */
    public record Concurrency(Double meanInFlight, Long maxInFlight) {
        static Concurrency of(List<WindowReport> reports) {
            long wall = 0, windowNanos = 0;
            Long max = null;
            for (WindowReport r : reports) {
                long millis = r.windowEndMillis() - r.windowStartMillis();
                if (millis > 0) {
                    wall += r.wallNanos();
                    windowNanos += millis * 1_000_000;
                }
                if (r.maxInFlight() != null) {
                    max = max == null ? r.maxInFlight() : Math.max(max, r.maxInFlight());
                }
            }
            return new Concurrency(windowNanos > 0 ? (double) wall / windowNanos : null, max);
        }
    }
}
