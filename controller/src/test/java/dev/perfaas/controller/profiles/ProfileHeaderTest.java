package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored profile's header line: from an upload's headers, into the file, and back. */
class ProfileHeaderTest {

    @Test
    void anUploadWithoutTheHeadersIsUnknown() {
        assertEquals(
                new ProfileHeader("pi", "seed", "unknown", "unknown", null, null),
                ProfileHeader.ofUpload("pi", "seed", null, null, null, null));
    }

    @Test
    void everyBadHeaderIsNamed() {
        ApiException e = assertThrows(
                ApiException.class, () -> ProfileHeader.ofUpload("pi", "i", "Async!", "1.0 beta", "0", "soon"));
        assertEquals(400, e.status());
        for (String header : new String[] {
            "X-Perfaas-Engine", "X-Perfaas-Version", "X-Perfaas-Frequency-Hz", "X-Perfaas-Clock-Offset-Nanos"
        }) {
            assertTrue(e.getMessage().contains(header), header + " in " + e.getMessage());
        }
        assertThrows(ApiException.class, () -> ProfileHeader.ofUpload("pi", "i", null, null, "NaN", null));
        assertThrows(ApiException.class, () -> ProfileHeader.ofUpload("pi", "i", null, "x".repeat(201), null, null));
    }

    @Test
    void theLineReadsBackWholeAndFlameScopeSkipsIt(@TempDir Path dir) throws IOException {
        ProfileHeader slow =
                new ProfileHeader("pi", "pi-1", "stack-walk", "ghcr.io/acme/pi:1.4@sha256:ab", 1000.0 / 30, -5L);
        ProfileHeader window = new ProfileHeader("pi", "pi-1", "perf", "unknown", 99.0, null);
        assertEquals(
                "# perfaas profile {\"function\":\"pi\",\"instance\":\"pi-1\",\"engine\":\"perf\",\"version\":\"unknown\","
                        + "\"frequencyHz\":99,\"clockOffsetNanos\":null}\n",
                window.line());
        Path a = Files.createDirectories(dir.resolve("pi")).resolve("pi-pi-1-20261123T132000.perf");
        Files.write(a, concat(window.line().getBytes(), Stacks.fixture()));
        Path b = Files.createDirectories(dir.resolve("pi/slow")).resolve("pi-pi-1-20261123T132000.perf");
        Files.write(b, concat(("# perfaas slow call {}\n" + slow.line()).getBytes(), Stacks.fixture()));

        assertEquals(window, ProfileHeader.read(a));
        assertEquals(slow, ProfileHeader.read(b), "after a slow call's mark");
        assertEquals(2, FlameScopeOracle.readAll(dir).size(), "both still open in FlameScope");
    }

    @Test
    void aFileWithoutOneReadsAsItsPathSays(@TempDir Path dir) throws IOException {
        Path window = Files.createDirectories(dir.resolve("pi")).resolve("pi-pi-7d9f-12-20261123T132000-2.perf");
        Files.write(window, Stacks.fixture());
        Path slow = Files.createDirectories(dir.resolve("pi/slow")).resolve("by-hand.perf");
        Files.write(slow, Stacks.fixture());

        assertEquals(
                new ProfileHeader("pi", "pi-7d9f-12", "unknown", "unknown", null, null), ProfileHeader.read(window));
        assertEquals(new ProfileHeader("pi", "unknown", "unknown", "unknown", null, null), ProfileHeader.read(slow));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
