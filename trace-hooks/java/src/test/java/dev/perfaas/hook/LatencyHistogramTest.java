package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValueFallsInTheBucketWhoseBoundsHoldIt() {
        long[] values = {0, 1, 3, 4, 5, 7, 8, 9, 1023, 1024, 1500, 999_999, 1_000_000, 123_456_789_012L, Long.MAX_VALUE
        };
        for (long v : values) {
            int b = LatencyHistogram.bucketOf(v);
            assertTrue(LatencyHistogram.lowerBound(b) <= v, "lower bound of " + v);
            if (b + 1 < LatencyHistogram.BUCKETS) {
                assertTrue(v < LatencyHistogram.lowerBound(b + 1), "upper bound of " + v);
            }
        }
    }

    @Test
    void bucketsAreWithinAQuarterOfTheValue() {
        for (long v = 4; v < 1L << 40; v = v * 3 + 1) {
            long lower = LatencyHistogram.lowerBound(LatencyHistogram.bucketOf(v));
            assertTrue((v - lower) <= v / 4, v + " in bucket from " + lower);
        }
    }

    @Test
    void boundsIncreaseStrictly() {
        for (int b = 1; b < LatencyHistogram.BUCKETS; b++) {
            assertTrue(LatencyHistogram.lowerBound(b) > LatencyHistogram.lowerBound(b - 1), "bucket " + b);
        }
    }

    @Test
    void writesNonEmptyBucketsAsPairs() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1000);
        h.record(1010);
        h.record(5_000_000);
        h.record(-5); // clock oddities count as zero rather than fail
        assertEquals(
                "[[0,1],[896,2],[4194304,1]]", h.appendJson(new StringBuilder()).toString());
    }
}
