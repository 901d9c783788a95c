package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemorySizingTest {

    private static final long MIB = 1024 * 1024;

    /**
     * One step per row. Points: "linear" is tags 1,000..N x 1,000 with 100 bytes a unit over 1,000,000
     * (2,000,000 bytes at the p99 input, 10,000); "same" gives every point one tag; "unrelated"
     * alternates 1,000,000 and 3,000,000 bytes whatever the tag. Figures in MiB, blank for absent.
     */
    @ParameterizedTest(name = "{0} x{1}, heapAfterGc {2}, heapMax {3}, nonHeap {4}, peak {5}, limit {6} -> {7} {8} MiB")
    @CsvSource(textBlock = """
            # points,   n, afterGc, heapMax, nonHeap, peak, limit, finding,           limitMiB, heapBytes
            linear,    10, 10,      128,     40,      100,  512,   over-provisioned,  72,       18728640
            linear,    10, 10,      16,      40,      60,   64,    under-provisioned, 72,       18728640
            linear,    10, 10,      25,      40,      80,   100,   optimized,         72,       18728640
            linear,    10, 10,      25,      40,      95,   100,   under-provisioned, 72,       18728640
            linear,    10, 10,      128,     40,      ,     ,      over-provisioned,  72,       18728640
            linear,    10, 10,      20,      40,      ,     ,      optimized,         72,       18728640
            linear,    10, 10,      16,      40,      ,     ,      under-provisioned, 72,       18728640
            linear,    10, 10,      450,     100,     ,     512,   over-provisioned,  118,      18728640
            unrelated, 10,   ,      128,        ,     ,     ,      over-provisioned,  18,       4500000
            linear,     7, 10,      128,     40,      100,  512,   not-enough-data,   ,
            same,      10, 10,      128,     40,      100,  512,   not-enough-data,   ,
            """)
    void sizesOneFunction(
            String kind,
            int n,
            Long afterGcMib,
            Long heapMaxMib,
            Long nonHeapMib,
            Long peakMib,
            Long limitMib,
            String finding,
            Long limitMiB,
            Long heapBytes) {
        long[] tags = new long[n];
        long[] bytes = new long[n];
        for (int i = 0; i < n; i++) {
            tags[i] = kind.equals("same") ? 5_000 : 1_000L * (i + 1);
            bytes[i] = kind.equals("unrelated") ? (i % 2 == 0 ? 1_000_000 : 3_000_000) : 1_000_000 + 100 * tags[i];
        }
        MemorySizing m = MemorySizing.size(
                tags, bytes, mib(afterGcMib), mib(heapMaxMib), mib(nonHeapMib), mib(peakMib), mib(limitMib));
        assertEquals(finding, m.finding(), String.join("\n", m.reasoning()));
        assertEquals(n, m.points());
        if (limitMiB == null) {
            assertNull(m.recommendation());
        } else {
            assertEquals(limitMiB * MIB, m.recommendation().limitBytes(), String.join("\n", m.reasoning()));
            assertEquals(heapBytes, m.recommendation().heapBytes());
            assertEquals(4, m.reasoning().size(), "one line a rule");
        }
    }

    @Test
    void poolsThePointsOfTheKeptReportsAndTakesTheLatestLimit() {
        WindowReport.Memory older = new WindowReport.Memory(
                30 * MIB,
                128 * MIB,
                40 * MIB,
                90 * MIB,
                100 * MIB,
                1024 * MIB,
                10,
                List.of(
                        new long[] {1_000, 1_100_000},
                        new long[] {2_000, 1_200_000},
                        new long[] {3_000, 1_300_000},
                        new long[] {4_000, 1_400_000}));
        WindowReport.Memory newer = new WindowReport.Memory(
                10 * MIB,
                128 * MIB,
                40 * MIB,
                80 * MIB,
                null,
                512 * MIB,
                4,
                List.of(
                        new long[] {5_000, 1_500_000},
                        new long[] {6_000, 1_600_000},
                        new long[] {7_000, 1_700_000},
                        new long[] {8_000, 1_800_000}));
        MemorySizing m = MemorySizing.of(List.of(report(older), report(null), report(newer)));
        assertEquals(8, m.points());
        assertEquals(100.0, m.fit().bytesPerUnit(), 1e-9);
        assertEquals(1_000_000.0, m.fit().intercept(), 1e-9);
        assertEquals(8_000L, m.inputP99());
        assertEquals(512 * MIB, m.limitBytes(), "the latest limit");
        assertEquals(10 * MIB, m.heapAfterGcBytes(), "the least live heap: a GC mid-invocation counts its data too");
        assertEquals(100 * MIB, m.containerPeakBytes(), "the largest peak (current where no peak is read)");
        assertTrue(m.recommendation() != null, m.reasoning().toString());
    }

    @Test
    void figuresAnInstanceCannotReadStayAbsent() {
        WindowReport.Memory bare = new WindowReport.Memory(
                null, null, null, null, null, null, 1, List.<long[]>of(new long[] {1_000, 1_000_000}));
        MemorySizing m = MemorySizing.of(List.of(report(bare), report(bare)));
        assertNull(m.heapAfterGcBytes());
        assertNull(m.containerPeakBytes());
        assertEquals(2, m.points());
    }

    @Test
    void reportsFromOlderHooksHaveNoMemory() {
        MemorySizing m = MemorySizing.of(List.of(report(null)));
        assertEquals(MemorySizing.NOT_ENOUGH_DATA, m.finding());
        assertNull(m.fit());
        assertNull(m.limitBytes());
    }

    private static Long mib(Long v) {
        return v == null ? null : v * MIB;
    }

    private static WindowReport report(WindowReport.Memory memory) {
        return new WindowReport(
                "fn", "i", 1_000, 61_000, "off", null, 0, 1, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null,
                List.of(), false, null, null, null, null, memory, null, null);
    }
}
