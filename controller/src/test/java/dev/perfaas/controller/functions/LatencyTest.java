package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The hook's buckets read into HdrHistogram, and a period's percentiles and splits. */
class LatencyTest {

    /** The hook's LatencyHistogram: values 0-3 exactly, then four buckets per power of two. */
    static long hookLowerBound(long v) {
        if (v < 4) {
            return v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        long step = 1L << (msb - 2);
        return v / step * step;
    }

    @Test
    void aValueComesOutOfHdrHistogramWithinItsBucketsQuarter() {
        for (long v = 0; v < ReportCheck.MAX_NANOS; v = v < 16 ? v + 1 : v * 5 / 4 + 7) {
            long lower = hookLowerBound(v);
            long upper = HookBuckets.upperBound(lower);
            assertTrue(lower <= v && v < upper, v + " outside [" + lower + ", " + upper + ")");
            assertTrue(upper - lower <= Math.max(1, lower / 4), "bucket from " + lower + " wider than 25 %");
            Histogram h = HookBuckets.histogram();
            HookBuckets.record(h, List.of(new long[] {lower, 1}));
            long out = Percentiles.of(h).p50();
            assertTrue(Math.abs(out - v) <= Math.max(0, (upper - lower) - 1), v + " came out as " + out);
            assertTrue(Math.abs(out - v) <= v / 4, v + " came out as " + out + ", beyond 25 %");
        }
    }

    @Test
    void valuesBelowFourAreExact() {
        for (long v = 0; v < 4; v++) {
            assertEquals(v, HookBuckets.representative(v));
        }
    }

    @Test
    void percentilesOfAPeriodSplitTracedAndUntraced() {
        // 90 invocations around 1 ms, 10 traced around 2 ms.
        WindowReport r = report(
                List.of(new long[] {1_048_576, 90}, new long[] {2_097_152, 10}),
                List.of(new long[] {2_097_152, 10}),
                null);
        Latency.Period p = Latency.Period.of(List.of(r));
        assertEquals(100, p.all().count());
        assertNear(1_179_648, p.all().p50()); // midpoint of [2^20, 1.25 x 2^20)
        assertNear(2_359_296, p.all().p99());
        assertEquals(10, p.traced().count());
        assertNear(2_359_296, p.traced().p50());
        assertEquals(90, p.untraced().count());
        assertNear(1_179_648, p.untraced().max());
        assertEquals(0, p.cold().count());
        assertNull(p.cold().p50());
        assertEquals(100, p.warm().count());
    }

    @Test
    void theColdInvocationIsTakenOutOfTheWarmOnes() {
        WindowReport r =
                report(List.of(new long[] {1_048_576, 99}, new long[] {268_435_456, 1}), List.of(), cold(300_000_000L));
        Latency.Period p = Latency.Period.of(List.of(r));
        assertEquals(1, p.cold().count());
        assertNear(300_000_000L, p.cold().max());
        assertEquals(99, p.warm().count());
        assertNear(1_179_648, p.warm().max());
        assertEquals(100, p.all().count());
    }

    @Test
    void olderHooksLeaveTheTracedSplitAndTheBreakdownEmpty() {
        WindowReport old = new WindowReport(
                "fn",
                "i",
                0,
                60_000,
                "off",
                null,
                0,
                0,
                0,
                0,
                10,
                0,
                0,
                600_000_000L,
                0,
                0,
                0,
                5,
                1,
                5,
                1,
                0,
                0,
                0,
                0,
                null,
                List.of(new long[] {1024, 10}),
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        Latency.Period p = Latency.Period.of(List.of(old));
        assertEquals(10, p.all().count());
        assertEquals(0, p.traced().count());
        assertEquals(0, p.untraced().count());
        assertNull(p.onCpu().traced().onCpu());
        assertNull(p.concurrency().maxInFlight());
        assertEquals(0.01, p.concurrency().meanInFlight(), 1e-9); // 0.6 s busy in a 60 s window
    }

    @Test
    void onCpuShareIsCpuOverWallOfTheSameInvocations() {
        WindowReport r = report(List.of(), List.of(), null);
        Latency.OnCpu on = Latency.Period.of(List.of(r, r)).onCpu();
        assertEquals(0.8, on.traced().onCpu(), 1e-9);
        assertEquals(2, on.traced().measured());
        assertEquals(0.25, on.untraced().onCpu(), 1e-9);
    }

    @Test
    void concurrencyPoolsLittlesLawAndTakesTheHighestMax() {
        // 60 s of invocation time in each 60 s window: one in flight on average.
        WindowReport a = report(List.of(), List.of(), null);
        Latency.Concurrency c =
                Latency.Period.of(List.of(a, withMaxInFlight(a, 7))).concurrency();
        assertEquals(1.0, c.meanInFlight(), 1e-9);
        assertEquals(7L, c.maxInFlight().longValue());
    }

    @Test
    void minusNeverGoesBelowZeroAndDropsEmptyBuckets() {
        List<long[]> rest = HookBuckets.minus(
                List.of(new long[] {1024, 3}, new long[] {2048, 2}),
                List.of(new long[] {1024, 3}, new long[] {2048, 5}, new long[] {4096, 1}));
        assertEquals(0, rest.size());
        List<long[]> without = HookBuckets.withoutOne(List.of(new long[] {1024, 3}), 5000);
        assertEquals(3, without.get(0)[1], "5000 is not in the bucket from 1024: nothing taken");
    }

    @Test
    void theWindowIsTheLastReport() {
        List<WindowReport> kept = new ArrayList<>();
        kept.add(report(List.of(new long[] {1024, 5}), List.of(), null));
        kept.add(report(List.of(new long[] {2048, 3}), List.of(), null));
        Latency l = Latency.of(kept);
        assertEquals(3, l.window().all().count());
        assertEquals(1, l.window().reports());
        assertEquals(8, l.pooled().all().count());
        assertNull(Latency.of(List.of()));
    }

    private static void assertNear(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= expected / 100, "expected ~" + expected + ", got " + actual);
    }

    static WindowReport.ColdStart cold(long firstInvocationNanos) {
        return new WindowReport.ColdStart(
                900, firstInvocationNanos, 600L, "boot", "host", "/cg", 1L, 1_795_439_941_000L);
    }

    /** A 60 s window, 60 s of invocation time; traced 0.8 on CPU, control 0.25. */
    static WindowReport report(List<long[]> buckets, List<long[]> traced, WindowReport.ColdStart cold) {
        long count = buckets.stream().mapToLong(b -> b[1]).sum();
        return new WindowReport(
                "fn",
                "i",
                0,
                60_000,
                "async",
                null,
                0,
                1,
                0.1,
                99,
                count,
                0,
                0,
                60_000_000_000L,
                0,
                0,
                0,
                800,
                1,
                250,
                1,
                0,
                0,
                0,
                0,
                cold,
                buckets,
                false,
                1L,
                1_000L,
                1_000L,
                traced,
                null,
                null,
                null);
    }

    private static WindowReport withMaxInFlight(WindowReport r, long max) {
        return new WindowReport(
                r.function(),
                r.instance(),
                r.windowStartMillis(),
                r.windowEndMillis(),
                r.engine(),
                null,
                0,
                1,
                0.1,
                99,
                r.invocations(),
                0,
                0,
                r.wallNanos(),
                0,
                0,
                0,
                800,
                1,
                250,
                1,
                0,
                0,
                0,
                0,
                null,
                r.latencyBuckets(),
                false,
                max,
                1_000L,
                1_000L,
                r.tracedLatencyBuckets(),
                null,
                null,
                null);
    }
}
