package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads a body up to its first line that does not start with '#' and checks that this line is a
 * sample line, the test FlameScope applies (app/perf/regexp.py) before it lists a file as a profile.
 */
final class PerfScriptHead {

    /** FlameScope's sample-line test. */
    static final Pattern SAMPLE_LINE = Pattern.compile(" +([0-9.]+): .+?:");
    private static final String EXAMPLE = "\"java 4242 [001] 47.529493: 2004008 cpu-clock:\"";
    private static final int SHOWN_LENGTH = 80;

    private PerfScriptHead() {
    }

    /** Returns the bytes read: the '#' header lines and the first sample line, with its line end. */
    static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int lineStart = head.size();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (b == '\n') {
                    break;
                }
            }
            if (head.size() == 0) {
                throw ApiException.badRequest("empty body");
            }
            if (head.size() == lineStart) {
                throw ApiException.badRequest("body is not perf script output: it holds only '#' comment lines"
                        + " and no sample line");
            }
            byte[] bytes = head.toByteArray();
            if (bytes[lineStart] != '#') {
                check(line(bytes, lineStart));
                return bytes;
            }
        }
    }

    private static String line(byte[] bytes, int start) {
        int end = bytes.length;
        // FlameScope reads with universal newlines, so a trailing "\r\n" is just a line end.
        while (end > start && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private static void check(String line) {
        if (line.isBlank()) {
            throw ApiException.badRequest("body is not FlameScope-readable perf script output: a blank line comes"
                    + " before the first sample; the first line that does not start with '#' must be a sample"
                    + " line such as " + EXAMPLE);
        }
        if (!SAMPLE_LINE.matcher(line).find()) {
            String shown = line.length() > SHOWN_LENGTH ? line.substring(0, SHOWN_LENGTH) + "..." : line;
            throw ApiException.badRequest("body is not perf script output: expected the first line that does not"
                    + " start with '#' to be a sample line such as " + EXAMPLE + ", got \"" + shown + "\"");
        }
    }
}
