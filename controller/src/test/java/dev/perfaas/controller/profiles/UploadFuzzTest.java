package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.perfaas.controller.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The upload parser, decoding and checking, as the intake runs it. Refusals are ApiExceptions 400
 * (not perf script, broken gzip) or 413 (size, ratio); anything else thrown is a finding. Every line
 * is also checked against FlameScope's own regexes, and an accepted body must hold what FlameScope
 * reads as its samples.
 *
 * <p>{@code mvn verify} fuzzes this briefly; see the controller's pom.xml for a longer run. The first
 * input byte picks the encoding and the read size, the rest is the body.
 */
class UploadFuzzTest {

    /** FlameScope's app/perf/regexp.py, as Python reads a line: '.' takes all but the line end, which is gone. */
    private static final Pattern EVENT = Pattern.compile(" +([0-9.]+): .+?:", Pattern.DOTALL);

    private static final Pattern FRAME = Pattern.compile("^[\\t ]*[0-9a-fA-F]+ (.+) \\((.*?)\\)\\z", Pattern.DOTALL);
    /** Longer lines are left out of the regex comparison: the regexes backtrack on them. */
    private static final int REGEX_LINE_LIMIT = 2048;

    private static final int MAX_BYTES = 1 << 20;

    @FuzzTest(maxDuration = "20s")
    void upload(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 0xff;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        String encoding = switch (mode & 3) {
            case 0 -> null;
            case 1 -> "identity";
            default -> "gzip";
        };
        if ((mode & 3) == 3) {
            body = gzip(body); // mode 2 leaves the body as sent: mostly broken gzip
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        PerfScriptCheck check = new PerfScriptCheck();
        boolean accepted;
        try {
            InputStream in = new LimitedInputStream(
                    ContentEncoding.decode(encoding, new ByteArrayInputStream(body), 400), MAX_BYTES, "too large");
            byte[] buffer = new byte[1 + (mode >> 2)]; // reads of 1 to 64 bytes: lines split everywhere
            for (int n; (n = in.read(buffer)) >= 0; ) {
                decoded.write(buffer, 0, n);
                check.accept(buffer, 0, n);
            }
            check.finish();
            accepted = true;
        } catch (ApiException e) {
            assertTrue(e.status() == 400 || e.status() == 413, e.status() + " " + e.getMessage());
            accepted = false;
        }
        compareWithFlameScope(decoded.toByteArray(), accepted ? check.samples() : -1);
    }

    /** Each line's verdict equals FlameScope's regexes'; {@code samples} (-1: refused) equals theirs. */
    private static void compareWithFlameScope(byte[] decoded, long samples) {
        long flameScopeSamples = 0;
        boolean everyLineCompared = true;
        for (byte[] line : lines(decoded)) {
            if (line.length > REGEX_LINE_LIMIT) {
                everyLineCompared = false;
                continue;
            }
            String text = new String(line, StandardCharsets.UTF_8);
            boolean event = EVENT.matcher(text).find();
            assertEquals(event, PerfScriptCheck.sampleTimeEnd(line, 0, line.length) >= 0, "sample rule: " + text);
            boolean indented = line.length > 0 && (line[0] == ' ' || line[0] == '\t');
            assertEquals(
                    indented && FRAME.matcher(text).find(),
                    PerfScriptCheck.isFrame(line, 0, line.length),
                    "frame rule: " + text);
            if (event && line[0] != '#') {
                flameScopeSamples++;
            }
        }
        if (samples >= 0 && everyLineCompared) {
            assertEquals(flameScopeSamples, samples);
        }
    }

    /** Lines as Python's universal newlines split them: "\n", "\r\n" or "\r". */
    private static List<byte[]> lines(byte[] b) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                lines.add(Arrays.copyOfRange(b, start, i));
                if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < b.length) {
            lines.add(Arrays.copyOfRange(b, start, b.length));
        }
        return lines;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
