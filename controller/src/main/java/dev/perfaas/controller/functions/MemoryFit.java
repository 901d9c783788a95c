package dev.perfaas.controller.functions;

import java.util.Arrays;

/**
 * A robust straight line through (input tag, bytes) points: Theil-Sen, the median of the slopes
 * between every two points with different inputs and the median intercept under it. A few
 * invocations that allocate far off the line (a GC-heavy one, a cache filled once) move it little,
 * where least squares would follow them. Above {@link #MAX_POINTS} points an even stride of them is
 * fitted, so the pairs stay under 80,000.
 *
 * @param bytesPerUnit the slope: bytes per unit of the tag (per line for examples/lines)
 * @param intercept bytes at tag 0
 * @param error the median absolute distance of the points from the line, in bytes
 * @param explained the share of the points' variance the line explains (1 - residual/total sum of
 *        squares), clamped to [0, 1]; 0 when the bytes do not vary
 * @param points how many points were fitted
 */
public record MemoryFit(double bytesPerUnit, double intercept, double error, double explained, int points) {

    static final int MAX_POINTS = 400;

    /** The fit, or null with fewer than two different tags. */
    static MemoryFit theilSen(long[] tags, long[] bytes) {
        int stride = Math.max(1, (tags.length + MAX_POINTS - 1) / MAX_POINTS);
        int n = (tags.length + stride - 1) / stride;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = tags[i * stride];
            y[i] = bytes[i * stride];
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[i] != x[j]) {
                    slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        if (m == 0) {
            return null;
        }
        double slope = median(Arrays.copyOf(slopes, m));
        double[] offsets = new double[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = y[i] - slope * x[i];
        }
        double intercept = median(offsets);
        double mean = Arrays.stream(y).average().orElse(0);
        double[] distances = new double[n];
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (intercept + slope * x[i]);
            distances[i] = Math.abs(r);
            residual += r * r;
            total += (y[i] - mean) * (y[i] - mean);
        }
        double explained = total == 0 ? 0 : Math.max(0, Math.min(1, 1 - residual / total));
        return new MemoryFit(slope, intercept, median(distances), explained, n);
    }

    /** Bytes the line predicts at a tag, never below 0. */
    double at(double tag) {
        return Math.max(0, intercept + bytesPerUnit * tag);
    }

    /** Sorts its argument. */
    static double median(double[] v) {
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
