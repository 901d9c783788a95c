package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttributionTest {
    @Test
    void readsSampleTimesFromPerfScriptHeaderLines() {
        assertEquals(
                47_519_493_000L,
                PerfScript.sampleTimeNanos("swapper     0 [000]    47.519493:    2004008 cpu-clock:pppH: "));
        assertEquals(
                643_063_427_000L,
                PerfScript.sampleTimeNanos("perfaas-request  4747   643.063427:    2004008 cpu-clock:pppH: "));
        assertEquals(1_000_000_001L, PerfScript.sampleTimeNanos("java 1 [1] 1.000000001: 1 cpu-clock:"));
        assertEquals(-1, PerfScript.sampleTimeNanos("# time of first sample : 47.519493"));
        assertEquals(
                -1, PerfScript.sampleTimeNanos("\t7fbfb8f255b4 double Handler.leibnizPi(long)+0x74 (/tmp/perf-1.map)"));
        assertEquals(-1, PerfScript.sampleTimeNanos(""));
    }

    @Test
    void findsTimesInsideOverlappingIntervals() {
        TracedIntervals t = new TracedIntervals();
        t.add(100, 200);
        t.add(150, 1000); // overlaps the first and outlasts the next
        t.add(300, 400);
        t.add(2000, 2100);
        TracedIntervals.Lookup l = t.lookup();
        for (long in : new long[] {100, 199, 200, 250, 450, 999, 1000, 2000, 2100}) {
            assertTrue(l.contains(in), "in " + in);
        }
        for (long out : new long[] {99, 1001, 1999, 2101, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertFalse(l.contains(out), "out " + out);
        }
        assertFalse(new TracedIntervals().lookup().contains(5));
        assertEquals(100 + 850 + 100 + 100, t.totalNanos(), "each invocation's traced time counts");
    }
}
