package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Stacks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentEncodingTest {

    /** 64 MB of '#' lines: about 1000 times its gzip size. */
    private static final byte[] BOMB = Stacks.gzip("#\n".getBytes(StandardCharsets.UTF_8), 32_000_000);

    @Test
    void refusesABombOverTheRatio() {
        ApiException e = assertThrows(ApiException.class, () -> drain(decode("gzip", BOMB, 400)));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().startsWith("gzip body inflates more than 400 times: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (decompression bomb; setting perfaas.max-gzip-ratio)"), e.getMessage());
    }

    @Test
    void takesTheSameBodyUnderAHigherRatio() throws IOException {
        assertEquals(64_000_000, drain(decode("gzip", BOMB, 1100)));
    }

    @Test
    void smallBodiesMayCompressAsWellAsTheyLike() throws IOException {
        byte[] small = Stacks.gzip("#\n".getBytes(StandardCharsets.UTF_8), (int) (ContentEncoding.RATIO_FLOOR / 2));
        assertEquals(ContentEncoding.RATIO_FLOOR, drain(decode("gzip", small, 2)));
    }

    @Test
    void identityPassesTheBodyAsIs() throws IOException {
        assertArrayEquals(Stacks.fixture(), decode(null, Stacks.fixture(), 1).readAllBytes());
        assertArrayEquals(
                Stacks.fixture(), decode(" Identity ", Stacks.fixture(), 1).readAllBytes());
        assertArrayEquals(
                Stacks.fixture(),
                decode("x-gzip", Stacks.gzip(Stacks.fixture()), 1).readAllBytes());
    }

    private static InputStream decode(String encoding, byte[] body, int maxRatio) throws IOException {
        return ContentEncoding.decode(encoding, new ByteArrayInputStream(body), maxRatio);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
