package dev.perfaas.flamescope;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What Python 3 hands FlameScope's loops when they iterate a file opened in text mode, and Python's str helpers they call. */
final class PythonText {

    private PythonText() {}

    /**
     * {@code open(path, 'r')} and {@code gzip.open(path, 'rt')} (app/common/fileutil.py, get_file):
     * the locale's encoding, which is UTF-8 under Debian's Python (PEP 538 turns the C locale into
     * C.UTF-8), strict, so a malformed byte raises UnicodeDecodeError. Python decodes in chunks, so a
     * bad byte far into a file fails only the views that read that far; this decodes the whole file
     * and fails at once, which is the same verdict for a file that must open in every view.
     */
    static String decode(String file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FlameScopeFailure(
                    file,
                    "not UTF-8 (" + e + "): FlameScope's reader raises UnicodeDecodeError, an HTTP 500 for the"
                            + " profile list and the heat map");
        }
    }

    /**
     * The lines of {@code for line in f}: universal newlines ("\n", "\r\n" and a lone "\r" each end a
     * line and read as "\n"); every line keeps its "\n" but a last one without an end; never an empty line.
     */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i) + "\n");
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** {@code str.rstrip()}: drops trailing characters that Python's {@code str.isspace()} accepts. */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's whitespace: bidirectional class WS, B or S, or category Zs (none is a surrogate). */
    private static boolean isSpace(char c) {
        return c >= '\t' && c <= '\r'
                || c >= 0x1c && c <= 0x20
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || c >= 0x2000 && c <= 0x200a
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }

    /**
     * {@code float(s)} of what {@code event_regexp}'s group 1 ({@code [0-9.]+}) captured: digits with
     * at most one '.', and at least one digit; otherwise Python raises ValueError. Many digits read
     * as infinity, as in Python.
     */
    static double toFloat(String file, String s, String where) {
        int dot = s.indexOf('.');
        if (s.equals(".") || dot >= 0 && s.indexOf('.', dot + 1) >= 0) {
            throw new FlameScopeFailure(file, where + ": float('" + s + "') raises ValueError, an HTTP 500");
        }
        return Double.parseDouble(s);
    }

    /** Python's {@code str.split(sep)}: every piece, empty ones included. */
    static List<String> split(String s, String sep) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }
}
