package dev.perfaas.controller.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongBinaryOperator;

/**
 * The {@code memory} of GET /v1/functions/{fn}: how an invocation's memory grows with its input,
 * the memory limit that fits the function, and a finding against its limit now, as AWS Compute
 * Optimizer words it. Worked out from the function's kept reports by {@link #of}:
 * <ol>
 * <li>An invocation needs what the line fitted through the (tag, allocated bytes) points says at
 *     the p99 input, when the line explains at least {@link #GOOD_FIT} of their variance; else the
 *     p99 of the measured bytes, whatever the input.</li>
 * <li>The heap needs the least heap live after GC that a report saw (a GC during an invocation
 *     counts what that invocation holds, which the step above already has) plus that, times
 *     {@link #HEADROOM}, for one invocation in flight.</li>
 * <li>The JVM gives the heap a share of the container's limit (heap max / limit as measured, else
 *     the JVM's default {@link #DEFAULT_HEAP_SHARE}), and needs non-heap memory beside it: the limit is
 *     the larger of heap / share and heap + non-heap, rounded up to a MiB.</li>
 * <li>Finding: under-provisioned when the limit is below that, or the container's peak passed
 *     {@link #PRESSURE} of it; over-provisioned when the limit is at least {@link #OVER} times that;
 *     else optimized. Without a container limit, the heap's maximum is the bound and is set against
 *     the heap needed. Not enough data below {@link #MIN_POINTS} points or two different tags.</li>
 * </ol>
 * Allocated bytes count the garbage an invocation makes as well as what it keeps, so they bound its
 * heap demand from above; for a handler that holds its input, as examples/lines does, the two agree.
 *
 * @param finding over-provisioned, under-provisioned, optimized or not-enough-data
 * @param recommendation null with not enough data
 * @param reasoning the steps above with their figures, in order
 * @param fit null before two different tags
 * @param inputP99 the 99th percentile of the points' tags
 * @param limitBytes the container's limit in the latest report (null: unlimited or unknown)
 * @param heapAfterGcBytes the least heap live after GC in the kept reports
 * @param containerPeakBytes the container's largest peak (or current, where no peak is read) in them
 */
public record MemorySizing(
        String finding,
        Recommendation recommendation,
        List<String> reasoning,
        MemoryFit fit,
        Long inputP99,
        Long limitBytes,
        Long heapMaxBytes,
        Long heapAfterGcBytes,
        Long containerPeakBytes,
        int points) {

    static final int MIN_POINTS = 8;
    static final double GOOD_FIT = 0.5;
    static final double HEADROOM = 1.5;
    static final double DEFAULT_HEAP_SHARE = 0.25;
    static final double PRESSURE = 0.9;
    static final double OVER = 1.5;
    static final long MIB = 1024 * 1024;

    public static final String OVER_PROVISIONED = "over-provisioned";
    public static final String UNDER_PROVISIONED = "under-provisioned";
    public static final String OPTIMIZED = "optimized";
    public static final String NOT_ENOUGH_DATA = "not-enough-data";

    /** @param limitBytes the container limit to set; heapBytes: the heap it is sized for */
    public record Recommendation(long limitBytes, long heapBytes) {}

    /** From a function's kept reports, oldest first. */
    public static MemorySizing of(List<WindowReport> reports) {
        List<long[]> points = new ArrayList<>();
        WindowReport.Memory latest = null;
        Long heapAfterGc = null;
        Long peak = null;
        for (WindowReport r : reports) {
            WindowReport.Memory m = r.memory();
            if (m == null) {
                continue;
            }
            latest = m;
            if (m.points() != null) {
                points.addAll(m.points());
            }
            heapAfterGc = min(heapAfterGc, m.heapAfterGcBytes());
            peak = max(peak, m.containerPeakBytes() != null ? m.containerPeakBytes() : m.containerBytes());
        }
        long[] tags = new long[points.size()];
        long[] bytes = new long[points.size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = points.get(i)[0];
            bytes[i] = points.get(i)[1];
        }
        Long limit = latest == null ? null : latest.containerLimitBytes();
        Long heapMax = latest == null ? null : latest.heapMaxBytes();
        Long nonHeap = latest == null ? null : latest.nonHeapBytes();
        return size(tags, bytes, heapAfterGc, heapMax, nonHeap, peak, limit);
    }

    /** The rules above, on the pooled points and the figures taken from the reports. */
    static MemorySizing size(
            long[] tags, long[] bytes, Long heapAfterGc, Long heapMax, Long nonHeap, Long peak, Long limit) {
        List<String> why = new ArrayList<>();
        MemoryFit fit = MemoryFit.theilSen(tags, bytes);
        Long inputP99 = tags.length == 0 ? null : p99(tags);
        if (tags.length < MIN_POINTS || fit == null) {
            why.add(tags.length + " measured invocations with " + (fit == null ? "fewer than two different" : "their")
                    + " tags: " + MIN_POINTS + " with two different tags are needed");
            return new MemorySizing(
                    NOT_ENOUGH_DATA, null, why, fit, inputP99, limit, heapMax, heapAfterGc, peak, tags.length);
        }
        double perInvocation;
        if (fit.explained() >= GOOD_FIT) {
            perInvocation = fit.at(inputP99);
            why.add(String.format(
                    Locale.ROOT,
                    "memory grows %.1f bytes per unit of input (the fit explains %.0f %%, error %s):"
                            + " %s at the p99 input %d",
                    fit.bytesPerUnit(),
                    100 * fit.explained(),
                    mib(fit.error()),
                    mib(perInvocation),
                    inputP99));
        } else {
            perInvocation = p99(bytes);
            why.add(String.format(
                    Locale.ROOT,
                    "the input explains %.0f %% of the memory, under %.0f %%: the p99 of the measured"
                            + " invocations, %s, whatever their input",
                    100 * fit.explained(),
                    100 * GOOD_FIT,
                    mib(perInvocation)));
        }
        long baseline = heapAfterGc == null ? 0 : heapAfterGc;
        long heap = (long) Math.ceil((baseline + perInvocation) * HEADROOM);
        why.add(String.format(
                Locale.ROOT,
                "heap: %s live after GC + %s for one invocation, x %.1f headroom = %s",
                heapAfterGc == null ? "unknown (no GC yet)" : mib(baseline),
                mib(perInvocation),
                HEADROOM,
                mib(heap)));
        boolean shareMeasured = heapMax != null && limit != null && heapMax < limit;
        double share = shareMeasured ? (double) heapMax / limit : DEFAULT_HEAP_SHARE;
        long nonHeapBytes = nonHeap == null ? 0 : nonHeap;
        long recommended = roundUpToMib(Math.max(heap / share, heap + nonHeapBytes));
        why.add(String.format(
                Locale.ROOT,
                "the JVM gives the heap %.0f %% of the limit (%s) and needs %s beside it: limit %s",
                100 * share,
                shareMeasured ? "heap max / limit" : "its default",
                mib(nonHeapBytes),
                mib(recommended)));
        String finding;
        if (limit != null) {
            boolean pressed = peak != null && peak >= PRESSURE * limit;
            finding = recommended > limit || pressed
                    ? UNDER_PROVISIONED
                    : limit >= OVER * recommended ? OVER_PROVISIONED : OPTIMIZED;
            why.add(String.format(
                    Locale.ROOT,
                    "limit now %s, container peak %s: %s",
                    mib(limit),
                    peak == null ? "unknown" : mib(peak),
                    finding));
        } else if (heapMax != null) {
            finding = heap > heapMax ? UNDER_PROVISIONED : heapMax >= OVER * heap ? OVER_PROVISIONED : OPTIMIZED;
            why.add(String.format(
                    Locale.ROOT,
                    "no container limit: the heap's maximum, %s, is the bound against the %s needed: %s",
                    mib(heapMax),
                    mib(heap),
                    finding));
        } else {
            finding = NOT_ENOUGH_DATA;
            why.add("neither a container limit nor the heap's maximum is known");
        }
        return new MemorySizing(
                finding,
                new Recommendation(recommended, heap),
                why,
                fit,
                inputP99,
                limit,
                heapMax,
                heapAfterGc,
                peak,
                tags.length);
    }

    /** Nearest rank. */
    static long p99(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
    }

    private static long roundUpToMib(double bytes) {
        return (long) Math.ceil(bytes / MIB) * MIB;
    }

    private static Long max(Long a, Long b) {
        return either(a, b, Math::max);
    }

    private static Long min(Long a, Long b) {
        return either(a, b, Math::min);
    }

    /** op of both, or whichever is there. Not a ?: chain: mixing Long and long there unboxes a null. */
    private static Long either(Long a, Long b, LongBinaryOperator op) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return op.applyAsLong(a, b);
    }

    private static String mib(double bytes) {
        return bytes < MIB
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
