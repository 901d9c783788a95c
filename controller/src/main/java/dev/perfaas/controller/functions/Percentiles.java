package dev.perfaas.controller.functions;

import org.HdrHistogram.Histogram;

/** Latency percentiles in nanoseconds over {@code count} invocations; null when there are none. */
public record Percentiles(long count, Long p50, Long p90, Long p99, Long p999, Long max) {

    static final Percentiles NONE = new Percentiles(0, null, null, null, null, null);

    static Percentiles of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return NONE;
        }
        return new Percentiles(
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue());
    }

    /** The value at 0.5, 0.9, 0.99 or 0.999 (null when there is none). */
    public Long at(double quantile) {
        if (quantile == 0.5) {
            return p50;
        }
        if (quantile == 0.9) {
            return p90;
        }
        if (quantile == 0.99) {
            return p99;
        }
        if (quantile == 0.999) {
            return p999;
        }
        throw new IllegalArgumentException("no percentile kept at " + quantile);
    }
}
