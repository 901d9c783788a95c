package dev.perfaas.controller.functions;

import org.HdrHistogram.Histogram;

/** Latency percentiles in nanoseconds over {@code count} invocations; null when there are none. */
public record Percentiles(long count, Long p50, Long p90, Long p99, Long p999, Long max) {

    static final Percentiles NONE = new Percentiles(0, null, null, null, null, null);

    static Percentiles of(Histogram h) {
        if (h.getTotalCount() == 0) return NONE;
        return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
