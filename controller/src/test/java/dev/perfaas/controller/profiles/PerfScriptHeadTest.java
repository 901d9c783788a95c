package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PerfScriptHeadTest {

    private static final String SAMPLE = "java 4242 [001]    47.529493:    2004008 cpu-clock:pppH: \n";
    private static final String FRAME = "\t7f00deadbeef Handler::leibniz (/tmp/perf-4242.map)\n";

    @Test
    void readsCommentsAndTheFirstSampleLineOnly() throws IOException {
        InputStream in = stream("# ========\n#\n" + SAMPLE + FRAME);
        byte[] head = PerfScriptHead.read(in);
        assertArrayEquals(("# ========\n#\n" + SAMPLE).getBytes(StandardCharsets.UTF_8), head);
        assertArrayEquals(FRAME.getBytes(StandardCharsets.UTF_8), in.readAllBytes(), "the rest stays unread");
    }

    @Test
    void acceptsRightAlignedCommandsAndCrLf() throws IOException {
        String line = "            java  4242 [001] 47.529493: cpu-clock:\r\n";
        assertEquals(line.length(), PerfScriptHead.read(stream(line)).length);
    }

    @Test
    void acceptsASampleLineWithoutLineEnd() throws IOException {
        assertEquals(SAMPLE.strip().length(), PerfScriptHead.read(stream(SAMPLE.strip())).length);
    }

    @Test
    void refusesAnEmptyBody() {
        assertEquals("empty body", refused(""));
    }

    @Test
    void refusesABlankLineBeforeTheFirstSample() {
        assertTrue(refused("# header\n\n" + SAMPLE).contains("a blank line comes before the first sample"));
        assertTrue(refused("\n" + SAMPLE).contains("a blank line comes before the first sample"));
    }

    @Test
    void refusesTextThatIsNotPerfScript() {
        String message = refused("hello\n");
        assertTrue(message.startsWith("body is not perf script output: expected the first line that does not"
                + " start with '#' to be a sample line"), message);
        assertTrue(message.endsWith("got \"hello\""), message);
    }

    @Test
    void refusesCommentsWithoutSamples() {
        assertTrue(refused("# a\n# b\n").contains("only '#' comment lines"));
    }

    private static String refused(String body) {
        ApiException e = assertThrows(ApiException.class, () -> PerfScriptHead.read(stream(body)));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
