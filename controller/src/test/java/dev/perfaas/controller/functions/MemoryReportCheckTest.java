package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The memory part of a window report, as ReportCheckTest checks the rest. */
class MemoryReportCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEMORY = """
            {"heapAfterGcBytes":12000000,"heapMaxBytes":134217728,"nonHeapBytes":41000000,\
            "containerBytes":90000000,"containerPeakBytes":120000000,"containerLimitBytes":536870912,\
            "pointsSeen":3,"points":[[1000,110000],[5000,520000],[0,4096]]}""";
    private static final String GOOD = """
            {"function":"lines","instance":"lines-1","windowStartMillis":1795439942000,
             "windowEndMillis":1795440002000,"engine":"off","policyVersion":1,"fraction":0,"frequencyHz":0,
             "invocations":3,"traced":0,"errors":0,"wallNanos":1000,"processCpuNanos":1000,
             "allocatedBytes":634096,"allocationMeasured":3,"memory":%s}
            """;

    @Test
    void acceptsAHooksMemory() {
        ReportCheck.validate(read(GOOD.formatted(MEMORY)));
    }

    /** Older hooks send no memory; an instance that cannot read a figure leaves it out; no tagged call, no points. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            null
            {"pointsSeen":0,"points":[]}
            {"heapMaxBytes":134217728}
            {"containerLimitBytes":70368744177664,"pointsSeen":1000000000000,"points":[[1000000000000000,1000000000000000]]}
            """)
    void acceptsAbsentFiguresAndEveryBound(String memory) {
        ReportCheck.validate(read(GOOD.formatted(memory)));
    }

    // Each row: a piece of the good memory, what replaces it, the one problem named.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "heapAfterGcBytes":12000000 | "heapAfterGcBytes":-1 | memory.heapAfterGcBytes must be in [0, 70368744177664], got -1
            "heapMaxBytes":134217728 | "heapMaxBytes":9223372036854775807 | \
            memory.heapMaxBytes must be in [0, 70368744177664], got 9223372036854775807
            "nonHeapBytes":41000000 | "nonHeapBytes":-41000000 | memory.nonHeapBytes must be in [0, 70368744177664], got -41000000
            "containerBytes":90000000 | "containerBytes":70368744177665 | \
            memory.containerBytes must be in [0, 70368744177664], got 70368744177665
            "containerPeakBytes":120000000 | "containerPeakBytes":-5 | memory.containerPeakBytes must be in [0, 70368744177664], got -5
            "containerLimitBytes":536870912 | "containerLimitBytes":9223372036854771712 | \
            memory.containerLimitBytes must be in [0, 70368744177664], got 9223372036854771712
            "pointsSeen":3 | "pointsSeen":-1 | memory.pointsSeen must be in [0, 1000000000000], got -1
            "pointsSeen":3 | "pointsSeen":2 | memory.points has 3 points, more than memory.pointsSeen (2)
            [1000,110000] | [-1000,110000] | memory.points[0][0] must be in [0, 1000000000000000], got -1000
            [5000,520000] | [5000,-520000] | memory.points[1][1] must be in [0, 1000000000000000], got -520000
            [0,4096] | [0,4096,1] | memory.points[2] must be a pair [tag, allocatedBytes]
            """)
    void refusesOneProblem(String replaced, String by, String problem) {
        WindowReport report = read(GOOD.formatted(MEMORY.replace(replaced, by)));
        ApiException e = assertThrows(ApiException.class, () -> ReportCheck.validate(report));
        assertEquals("invalid window report: " + problem, e.getMessage());
        assertEquals(400, e.status());
        assertEquals(Refusal.INVALID_REPORT, e.reason());
    }

    @Test
    void refusesMorePointsThanAWindowHolds() {
        StringBuilder points = new StringBuilder("[");
        for (int i = 0; i <= ReportCheck.MAX_MEMORY_POINTS; i++) {
            points.append(i == 0 ? "" : ",").append("[1,1]");
        }
        String memory = "{\"pointsSeen\":1000,\"points\":" + points.append(']') + "}";
        WindowReport report = read(GOOD.formatted(memory));
        assertEquals(
                "invalid window report: memory.points has 65 points, at most 64",
                assertThrows(ApiException.class, () -> ReportCheck.validate(report))
                        .getMessage());
    }

    private static WindowReport read(String json) {
        try {
            return JSON.readValue(json, WindowReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
