package com.openfaas.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openfaas.model.IResponse;
import com.openfaas.model.Request;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlerTest {
    private static IResponse call(String query) {
        return new Handler().Handle(new Request("", Map.of(), query, "/"));
    }

    @Test
    void generatesTheLinesItWasAskedFor() {
        List<String> lines = Handler.generateLines(1_000);
        assertEquals(1_000, lines.size());
        assertEquals("line 0: alpha delta golf", lines.get(0));
        assertEquals(1_000, lines.stream().distinct().count(), "every line is its own string");
    }

    @Test
    void answersWithCountsAndTheEstimate() {
        IResponse res = call("lines=2000");
        assertEquals(200, res.getStatusCode(), res.getBody());
        assertEquals("application/json", res.getContentType());
        String expected = Handler.summary("generated", Handler.generateLines(2_000)) + "\n";
        assertEquals(expected, res.getBody());
        assertTrue(res.getBody().contains("\"lines\":2000,"), res.getBody());
    }

    @Test
    void theEstimateGrowsWithTheLines() {
        long small = Handler.retainedBytes(Handler.generateLines(1_000));
        long large = Handler.retainedBytes(Handler.generateLines(10_000));
        assertTrue(large > 9 * small, small + " then " + large);
    }

    @Test
    void theEstimateCountsHeadersReferencesAndCharacters() {
        // list array: 16 + 2*4 = 24; "abc": 24 + align8(16 + 3) = 48; "\u2192": 24 + align8(16 + 2) = 48
        assertEquals(24 + 48 + 48, Handler.retainedBytes(List.of("abc", "\u2192")));
        // 9 Latin-1 chars need 16 + 9 = 25 bytes of array, rounded up to 32
        assertEquals(align(16 + 4) + 24 + 32, Handler.retainedBytes(List.of("caf\u00e9-caf\u00e9")));
    }

    /**
     * The estimate against the heap: the heap used after a full GC with the lines held, less before,
     * per line: within 8 %, so the launcher's MemoryRightsizingTest, which holds perfaas's fitted bytes
     * per line within 15 % of the estimate, holds it within 25 % of the heap.
     */
    @Test
    void theHeapHoldsWhatTheEstimateSays() {
        int n = 500_000;
        long before = heapUsedAfterGc();
        List<String> kept = Handler.generateLines(n);
        long after = heapUsedAfterGc();
        double measured = (double) (after - before) / n;
        double estimate = (double) Handler.retainedBytes(kept) / n;
        Reference.reachabilityFence(kept);
        System.out.printf("lines: heap %.1f bytes a line, estimate %.1f%n", measured, estimate);
        assertEquals(estimate, measured, 0.08 * estimate, "bytes a line");
    }

    private static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void tagsTheInvocationWithItsLines() {
        assertEquals("2000", call("lines=2000").getHeader("X-Perfaas-Tag"));
        assertEquals("12", call("file=sample.txt").getHeader("X-Perfaas-Tag"));
    }

    private static long align(long n) {
        return (n + 7) / 8 * 8;
    }

    @Test
    void readsAFileShippedWithTheFunction() {
        IResponse res = call("file=sample.txt");
        assertEquals(200, res.getStatusCode(), res.getBody());
        assertTrue(res.getBody().startsWith("{\"source\":\"file sample.txt\",\"lines\":12,"), res.getBody());
    }

    @Test
    void aMissingFileIsA404() {
        IResponse res = call("file=nothing.txt");
        assertEquals(404, res.getStatusCode());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lines=abc",
                "lines=0",
                "lines=1000001",
                "file=../pom.xml",
                "file=.hidden",
                "file=a/b",
                "lines=5&file=sample.txt"
            })
    void badInputIsA400(String query) {
        IResponse res = call(query);
        assertEquals(400, res.getStatusCode(), query + " -> " + res.getBody());
    }
}
