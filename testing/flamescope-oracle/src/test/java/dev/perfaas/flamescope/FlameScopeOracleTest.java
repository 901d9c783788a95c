package dev.perfaas.flamescope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures under src/test/resources/fixtures, each also opened in the real FlameScope
 * (flamescope-check.sh): good and its gzip copy open with 4 samples in the heat map and 4 in the flame
 * graph, idle with 1 and 2; outoforder's and wholesecond's heat maps answer HTTP 500, onesample's
 * flame graph HTTP 500; blankfirst is listed as trace_event.
 */
class FlameScopeOracleTest {

    @Test
    void readsAGoodProfileAsFlameScopeDoes() {
        Reading r = FlameScopeOracle.read("good.perf", fixture("good"));
        assertEquals("perf", r.type());
        assertEquals(100.25, r.start());
        assertEquals(102.1, r.end());
        assertEquals(3, r.columns(), "ceil(102.1) - floor(100.25)");
        assertEquals(50, r.rows());
        assertEquals(4, r.heatmapSamples());
        assertEquals(4, r.flameGraphSamples());
        Frame root = r.flameGraph();
        assertEquals(0, root.value(), "FlameScope's root holds no samples of its own");
        // java's "L" prefix dropped, the "+0x1f" offset cut, "->" split into an inlined frame.
        assertTrue(root.names().contains("Handler;::leibniz"), root.names().toString());
        assertFalse(root.names().stream().anyMatch(n -> n.contains("+0x") || n.startsWith("LHandler")));
        assertTrue(root.names().contains("Parser;::next"));
        // handle under start_thread and handle as a stack's root are two nodes.
        assertEquals(2, root.nodesNamed("Handler;::handle"));
        Frame java = root.children().get(0);
        assertEquals("java", java.name());
        assertEquals(4, java.total());
        Frame startThread = java.children().get(0);
        assertEquals("start_thread", startThread.name());
        assertEquals("user", startThread.libtype());
        Frame handle = startThread.children().get(0);
        assertEquals("jit", handle.libtype());
        assertEquals(2, handle.children().get(0).value(), "leibniz, with and without its offset, is one node");
    }

    @Test
    void readsGzipAsItsText() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(fixture("good"));
        }
        assertEquals("perf", FlameScopeOracle.listedType(gz.toByteArray()));
        Reading r = FlameScopeOracle.read("good.perf.gz", gz.toByteArray());
        assertEquals(4, r.heatmapSamples());
        assertEquals(4, r.flameGraphSamples());
    }

    @Test
    void readsLineEndsAsPythonsUniversalNewlines() {
        String text = new String(fixture("good"), StandardCharsets.UTF_8);
        for (String end : new String[] {"\r\n", "\r"}) {
            Reading r =
                    FlameScopeOracle.read("good.perf", text.replace("\n", end).getBytes(StandardCharsets.UTF_8));
            assertEquals(4, r.heatmapSamples());
            assertEquals(4, r.flameGraphSamples());
        }
    }

    @Test
    void refusesSamplesOutOfTimeOrderWhereTheHeatMapFails() {
        FlameScopeFailure e = assertThrows(
                FlameScopeFailure.class, () -> FlameScopeOracle.read("outoforder.perf", fixture("outoforder")));
        assertTrue(e.getMessage().contains("IndexError"), e.getMessage());
        assertTrue(e.getMessage().contains("12.7 s falls in column 2 of 2"), e.getMessage());
    }

    @Test
    void aLastSampleOnAWholeSecondFallsPastTheHeatMap() {
        // ceil(102.0) - floor(101.5) = 1 column, and the sample at 102.0 s goes to column 1.
        FlameScopeFailure e = assertThrows(
                FlameScopeFailure.class, () -> FlameScopeOracle.read("wholesecond.perf", fixture("wholesecond")));
        assertTrue(e.getMessage().contains("102.0 s falls in column 1 of 1"), e.getMessage());
    }

    @Test
    void aBlankLineBeforeTheFirstSampleIsNoPerfProfile() {
        assertEquals("trace_event", FlameScopeOracle.listedType(fixture("blankfirst")));
        FlameScopeFailure e = assertThrows(
                FlameScopeFailure.class, () -> FlameScopeOracle.read("blankfirst.perf", fixture("blankfirst")));
        assertTrue(e.getMessage().contains("'trace_event', not 'perf'"), e.getMessage());
    }

    @Test
    void idleSamplesLeaveTheHeatMapButTheLastOneStaysInTheFlameGraph() {
        Reading r = FlameScopeOracle.read("idle.perf", fixture("idle"));
        assertEquals(1, r.heatmapSamples(), "both swapper samples are idle");
        assertEquals(2, r.flameGraphSamples(), "the flame graph adds the last sample without its idle test");
        assertEquals(1, r.flameGraph().nodesNamed("swapper"));
    }

    @Test
    void oneSampleHasNoFlameGraphRange() {
        FlameScopeFailure e = assertThrows(
                FlameScopeFailure.class, () -> FlameScopeOracle.read("onesample.perf", fixture("onesample")));
        assertTrue(e.getMessage().contains("OverflowError"), e.getMessage());
    }

    @Test
    void typesAsLibmagicAndTheProfileListDo() {
        assertEquals("unknown", FlameScopeOracle.listedType(new byte[0]));
        assertEquals(
                "nflxprofile", FlameScopeOracle.listedType(bytes("java 1 [0] 1.0: cpu-clock:\n\t0 a\u0001 (b)\n")));
        assertEquals("unknown", FlameScopeOracle.listedType(bytes("#!/bin/sh\njava 1 [0] 1.0: cpu-clock:\n")));
        assertEquals("trace_event", FlameScopeOracle.listedType(bytes("# only comments\n#\n")));
        assertEquals("perf", FlameScopeOracle.listedType(bytes("# c\njava 1 [0] 1.0: cpu-clock:\n")));
    }

    @Test
    void malformedUtf8FailsTheReader() {
        byte[] latin1 = "java 1 [0] 1.0: cpu-clock:\n\t0 caf\u00e9 (b)\njava 1 [0] 2.0: cpu-clock:\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        FlameScopeFailure e = assertThrows(FlameScopeFailure.class, () -> FlameScopeOracle.read("latin1.perf", latin1));
        assertTrue(e.getMessage().contains("UnicodeDecodeError"), e.getMessage());
    }

    @Test
    void readsEveryListedFileOfADirectory(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("fn/slow"));
        Files.write(dir.resolve("fn/fn-a-20260101T000000.perf"), fixture("good"));
        Files.write(dir.resolve("fn/slow/fn-a-20260101T000001.perf"), fixture("idle"));
        Files.write(dir.resolve(".upload-1.tmp"), fixture("outoforder")); // skipped as FlameScope does
        Map<Path, Reading> all = FlameScopeOracle.readAll(dir);
        assertEquals(2, all.size(), all.keySet().toString());
        assertEquals(4, all.get(Path.of("fn/fn-a-20260101T000000.perf")).heatmapSamples());
        Files.write(dir.resolve("fn/fn-b-20260101T000000.perf"), fixture("outoforder"));
        assertThrows(FlameScopeFailure.class, () -> FlameScopeOracle.readAll(dir));
    }

    @Test
    void refusesPathsFlameScopeRefuses(@TempDir Path dir) throws IOException {
        Path curly = Files.write(dir.resolve("fn{1}.perf"), fixture("good"));
        FlameScopeFailure e = assertThrows(FlameScopeFailure.class, () -> FlameScopeOracle.read(curly));
        assertTrue(e.getMessage().contains("path check"), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) {
        try (InputStream in =
                FlameScopeOracleTest.class.getResourceAsStream("/fixtures/" + name + "/" + name + ".perf")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
