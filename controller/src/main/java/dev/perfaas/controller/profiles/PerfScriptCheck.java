package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import java.nio.charset.StandardCharsets;

/**
 * Checks a {@code perf script} body as it streams by and counts its samples: one pass, no
 * backtracking, memory bounded by {@link #MAX_LINE_BYTES}. Lines end as FlameScope's Python reader
 * splits them (universal newlines: "\n", "\r\n" or "\r"), and every line must be one of
 * <ul>
 * <li>a '#' comment, as {@code perf script --header} prints;
 * <li>a sample line: FlameScope's test, {@link #sampleTimeEnd};
 * <li>a stack frame line: indented, then FlameScope's frame test, {@link #isFrame}; what perf prints
 *     ({@code \t    7f00deadbeef sym+0x1f (/usr/lib/libc.so.6)}) and the hooks' JfrScript
 *     ({@code \t0 com.example.Handler.handle (java)});
 * <li>a blank line, which ends a sample.
 * </ul>
 * The first line that is not a comment must be a sample: FlameScope lists a file as a perf profile
 * only then (app/common/fileutil.py). Sample times never go back: FlameScope takes a profile's
 * start as its earliest sample but its end as its last sample line's time (app/perf/heatmap.py,
 * perf_read_offsets), and its heat map fails on a sample later than that end. A body holds at least
 * two samples (FlameScope's flame graph reads a profile's end from a sample after its first) and its
 * last sample's time is not a whole second (the heat map's columns end at that second). The bytes
 * must be text as FlameScope takes it: its type sniffing (libmagic through python-magic) calls a
 * file text/plain only when every byte below 0x80 is one of libmagic's text characters (printable
 * ASCII, BEL, BS, TAB, LF, VT, FF, CR, ESC), and it then reads the file with Python's strict UTF-8
 * decoder, so other bytes must form well-formed UTF-8.
 *
 * <p>The controller's definition of a profile it stores, streaming and bounded; the executable spec of
 * FlameScope's reading is the tests' FlameScope oracle (testing/flamescope-oracle), which the tests
 * apply to stored profiles beside this check.
 */
public final class PerfScriptCheck {

    /**
     * Longest line taken, line end excluded. perf prints demangled C++ symbols whole, rarely past a
     * few KiB; the limit bounds the buffer a line split across reads needs, and what FlameScope's
     * backtracking regexes (which it runs on every line) are handed.
     */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** perf prints seconds with 6 or 9 decimals; this also keeps Python's float() finite. */
    static final int MAX_TIME_CHARS = 32;

    private static final int SHOWN_CHARS = 80;
    private static final String SAMPLE_EXAMPLE = "\"java 4242 [001] 47.529493: 2004008 cpu-clock:\"";
    private static final String FRAME_EXAMPLE = "\"\\t7f00deadbeef Handler::leibniz (/tmp/perf-4242.map)\"";
    /** libmagic's text_chars: the ASCII bytes it accepts in text. */
    private static final boolean[] TEXT = new boolean[0x80];

    static {
        for (int b = 0x20; b < 0x7f; b++) {
            TEXT[b] = true;
        }
        for (int b = 0x07; b <= 0x0d; b++) {
            TEXT[b] = true;
        }
        TEXT[0x1b] = true;
    }

    private final byte[] partial = new byte[MAX_LINE_BYTES]; // the start of a line a read cut off
    private int partialLength;
    private boolean afterCr;
    private long bytes;
    private long headerBytes; // of them, the controller's own lines
    private long line = 1; // the number of the line being read
    private long samples;
    private double lastTime = Double.NEGATIVE_INFINITY; // the previous sample's time, in seconds
    private String lastTimeText;
    private long lastTimeLine;
    private int utf8Pending; // continuation bytes still due
    private int utf8Low;
    private int utf8High;

    /** Checks the next bytes of the body; refuses with a 400 at the first that cannot be perf script. */
    public void accept(byte[] chunk, int offset, int length) {
        bytes += length;
        int end = offset + length;
        int lineStart = offset;
        for (int i = offset; i < end; i++) {
            int b = chunk[i] & 0xff;
            if (utf8Pending > 0) {
                if (b < utf8Low || b > utf8High) {
                    throw notText("malformed UTF-8 (byte 0x%02x)", b);
                }
                utf8Pending--;
                utf8Low = 0x80;
                utf8High = 0xbf;
            } else if (b >= 0x80) {
                startUtf8(b);
            } else if (b == '\n' || b == '\r') {
                if (b == '\n' && afterCr) { // the "\n" of "\r\n": its line ended at the '\r'
                    afterCr = false;
                } else {
                    afterCr = b == '\r';
                    endLine(chunk, lineStart, i);
                }
                lineStart = i + 1;
                continue;
            } else if (!TEXT[b]) {
                throw notText("control character 0x%02x, which FlameScope's file type check does not take for text", b);
            }
            afterCr = false;
            if (partialLength + i + 1 - lineStart > MAX_LINE_BYTES) {
                throw refused("line " + line + " is longer than " + MAX_LINE_BYTES + " bytes: "
                        + shown(
                                partialLength > 0 ? partial : chunk,
                                partialLength > 0 ? 0 : lineStart,
                                partialLength > 0 ? partialLength : i - lineStart));
            }
        }
        System.arraycopy(chunk, lineStart, partial, partialLength, end - lineStart);
        partialLength += end - lineStart;
    }

    /**
     * The lines checked so far were the controller's own header (whole lines): from here on, line
     * numbers count the lines the client sent.
     */
    public void bodyStarts() {
        line = 1;
        headerBytes = bytes;
    }

    /** Checks the end of the body. */
    public void finish() {
        if (utf8Pending > 0) {
            throw notText("malformed UTF-8 (the body ends inside a character)", 0);
        }
        if (partialLength > 0) {
            classify(partial, 0, partialLength);
            partialLength = 0;
        }
        if (bytes == headerBytes) {
            throw ApiException.badRequest("empty body");
        }
        if (samples == 0) {
            throw ApiException.badRequest(
                    "body is not perf script output: it holds only '#' comment lines" + " and no sample line");
        }
        if (samples == 1) {
            throw refused("it holds one sample (line " + lastTimeLine + "), and FlameScope needs two: its flame"
                    + " graph (app/perf/flame_graph.py, _get_profile_range) takes a profile's end only from a"
                    + " sample after its first, so with one its end stays -inf and ceil() raises OverflowError:"
                    + " HTTP 500");
        }
        if (lastTime == Math.floor(lastTime)) {
            throw refused("the last sample, on line " + lastTimeLine + " at " + lastTimeText + " s, falls on a whole"
                    + " second: FlameScope's heat map (app/perf/heatmap.py, perf_read_offsets, and"
                    + " app/controllers/heatmap.py, generate_heatmap) makes ceil(end) - floor(start) columns of one"
                    + " second with the last sample's time as the end, so a last sample on a whole second falls one"
                    + " column past them: IndexError, HTTP 500");
        }
    }

    long bytes() {
        return bytes;
    }

    public long samples() {
        return samples;
    }

    /** Sets up the continuation bytes a UTF-8 lead byte announces (RFC 3629: no overlongs, surrogates or past U+10FFFF). */
    private void startUtf8(int b) {
        utf8Low = 0x80;
        utf8High = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) {
            utf8Pending = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            utf8Pending = 2;
            if (b == 0xe0) {
                utf8Low = 0xa0;
            } else if (b == 0xed) {
                utf8High = 0x9f;
            }
        } else if (b >= 0xf0 && b <= 0xf4) {
            utf8Pending = 3;
            if (b == 0xf0) {
                utf8Low = 0x90;
            } else if (b == 0xf4) {
                utf8High = 0x8f;
            }
        } else {
            throw notText("malformed UTF-8 (byte 0x%02x)", b);
        }
    }

    private void endLine(byte[] chunk, int from, int to) {
        if (partialLength > 0) {
            System.arraycopy(chunk, from, partial, partialLength, to - from);
            classify(partial, 0, partialLength + to - from);
            partialLength = 0;
        } else {
            classify(chunk, from, to);
        }
        line++;
    }

    private void classify(byte[] b, int from, int to) {
        if (to > from && b[from] == '#') {
            return;
        }
        if (isBlank(b, from, to)) {
            if (samples == 0) {
                throw ApiException.badRequest("body is not FlameScope-readable perf script output: a blank line"
                        + " comes before the first sample (line " + line + "); the first line that does not start"
                        + " with '#' must be a sample line such as " + SAMPLE_EXAMPLE);
            }
            return;
        }
        int timeEnd = sampleTimeEnd(b, from, to);
        if (timeEnd >= 0) {
            checkTime(b, from, timeEnd);
            if (b[from] == '\t') {
                // FlameScope's flame graph takes a tab-indented line for a frame, its heat map for a sample.
                throw refused("line " + line + " is indented with a tab like a stack frame but reads as a sample"
                        + " line: " + shown(b, from, to - from));
            }
            checkOrder(b, from, timeEnd);
            samples++;
        } else if (samples == 0) {
            throw refused("expected the first line that does not start with '#' to be a sample line such as "
                    + SAMPLE_EXAMPLE + ", got " + shown(b, from, to - from) + " (line " + line + ")");
        } else if (!isFrame(b, from, to)) {
            throw refused("line " + line + " is neither a sample line such as " + SAMPLE_EXAMPLE
                    + ", a stack frame line such as " + FRAME_EXAMPLE + ", a '#' comment nor blank: got "
                    + shown(b, from, to - from));
        }
    }

    /**
     * FlameScope's sample-line test (app/perf/regexp.py): {@code event_regexp.search(line)} with
     * {@code event_regexp = " +([0-9.]+): .+?:"}, whose group 1 is the sample's time in seconds.
     * By hand, in one pass: the leftmost ": " that ends a run of [0-9.] with a space before it, and a
     * ':' at least one character after that ": ". A later ": " cannot match where the leftmost one
     * failed, since its ':' would have to come later still. Returns the index of the ':' ending the
     * time, or -1 when the line is no sample line.
     */
    static int sampleTimeEnd(byte[] b, int from, int to) {
        int lastColon = to - 1;
        while (lastColon >= from && b[lastColon] != ':') {
            lastColon--;
        }
        int runStart = -1; // where the current run of [0-9.] began, -1 outside one
        for (int i = from; i < to - 1; i++) {
            byte c = b[i];
            if (isTimeChar(c)) {
                if (runStart < 0) {
                    runStart = i;
                }
                continue;
            }
            if (c == ':' && b[i + 1] == ' ' && runStart > from && b[runStart - 1] == ' ') {
                return lastColon >= i + 3 ? i : -1;
            }
            runStart = -1;
        }
        return -1;
    }

    /**
     * FlameScope's frame test (app/perf/regexp.py): {@code frame_regexp.search(line)} with
     * {@code frame_regexp = "^[\t ]*[0-9a-fA-F]+ (.+) \((.*?)\)$"}, here with at least one tab or
     * space of indentation. By hand: indentation, hex digits, a space, then a line that ends with ')'
     * and holds " (" after at least one character.
     */
    static boolean isFrame(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == '\t' || b[i] == ' ')) {
            i++;
        }
        if (i == from) {
            return false;
        }
        int digits = i;
        while (i < to && isHex(b[i])) {
            i++;
        }
        if (i == digits || i == to || b[i] != ' ' || b[to - 1] != ')') {
            return false;
        }
        for (int k = i + 2; k <= to - 3; k++) {
            if (b[k] == ' ' && b[k + 1] == '(') {
                return true;
            }
        }
        return false;
    }

    /** FlameScope reads the time with Python's float(): a malformed one would fail its whole view. */
    private void checkTime(byte[] b, int from, int timeEnd) {
        int start = timeStart(b, from, timeEnd);
        int dots = 0;
        for (int i = start; i < timeEnd; i++) {
            if (b[i] == '.') {
                dots++;
            }
        }
        if (dots > 1 || dots == timeEnd - start || timeEnd - start > MAX_TIME_CHARS) {
            throw refused("the sample on line " + line + " has the time " + shown(b, start, timeEnd - start)
                    + ", which is not a number of seconds");
        }
    }

    /**
     * A sample earlier than the one before is refused: FlameScope would take the earlier time for the
     * profile's end and fail on the later sample. Equal times are in order.
     */
    private void checkOrder(byte[] b, int from, int timeEnd) {
        int start = timeStart(b, from, timeEnd);
        String text = new String(b, start, timeEnd - start, StandardCharsets.US_ASCII);
        double time = Double.parseDouble(text);
        if (time < lastTime) {
            throw refused("the sample on line " + line + " at " + text + " s is earlier than the sample before it, on"
                    + " line " + lastTimeLine + " at " + lastTimeText + " s: samples must be"
                    + " in time order, since FlameScope reads a profile's end from its last sample (its heat map"
                    + " fails on any sample after that end)");
        }
        lastTime = time;
        lastTimeText = text;
        lastTimeLine = line;
    }

    /** Where the time ends at {@code timeEnd} (from {@link #sampleTimeEnd}) begins. */
    static int timeStart(byte[] b, int from, int timeEnd) {
        int start = timeEnd;
        while (start > from && isTimeChar(b[start - 1])) {
            start--;
        }
        return start;
    }

    static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean isTimeChar(byte c) {
        return c >= '0' && c <= '9' || c == '.';
    }

    private static boolean isHex(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static ApiException refused(String what) {
        return ApiException.badRequest("body is not perf script output: " + what);
    }

    private ApiException notText(String what, int b) {
        return ApiException.badRequest("body is not UTF-8 text: line " + line + " holds " + String.format(what, b));
    }

    /** The first 80 characters of a line, quoted. */
    private static String shown(byte[] b, int from, int length) {
        // 4 bytes per character at most: enough bytes for 80 characters, or the whole line.
        String s = new String(b, from, Math.min(length, 4 * SHOWN_CHARS), StandardCharsets.UTF_8);
        if (s.codePointCount(0, s.length()) > SHOWN_CHARS) {
            return "\"" + s.substring(0, s.offsetByCodePoints(0, SHOWN_CHARS)) + "...\"";
        }
        return "\"" + s + "\"";
    }
}
