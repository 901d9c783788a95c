package dev.perfaas.controller.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads stored {@code perf script} text line by line, as FlameScope's Python reader splits it
 * (universal newlines), and tells sample lines and stack frame lines apart by {@link PerfScriptCheck}'s
 * tests, the ones uploads were checked with: one streaming pass, one line buffer of
 * {@link PerfScriptCheck#MAX_LINE_BYTES}. What each reader makes of the lines (the dashboard's samples,
 * pprof) is its own.
 */
public final class PerfScriptReader {

    /** What a reader is told, in file order. A {@link Line} is valid only during the call. */
    public interface Lines {
        /** A sample line; its frames follow, leaf first. */
        void sample(double time, Line line);

        /** A stack frame line, within the current sample's stack. */
        void frame(Line line);

        /** The current sample's stack has ended: a comment or blank line, the next sample, or the end. */
        void endStack();

        /** A line that is none of these (longer than the buffer, a time that does not parse, anything else). */
        void skipped();
    }

    /** The line being read. */
    public static final class Line {
        private final byte[] bytes = new byte[PerfScriptCheck.MAX_LINE_BYTES];
        private int length;
        private int timeEnd;

        private Line() {}

        /**
         * The sample's event: {@code cpu-clock} in {@code "sh 4002 522.557696: 10101010 cpu-clock:pppH:"},
         * {@code wall-running} in the hooks' {@code "... 47.529493: 1 wall-running:"}; "" when none.
         */
        public String event() {
            int i = timeEnd + 1;
            while (i < length && bytes[i] == ' ') {
                i++;
            }
            int digits = i;
            while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
            }
            if (i > digits) { // the period, then the event
                while (i < length && bytes[i] == ' ') {
                    i++;
                }
            }
            int start = i;
            while (i < length && bytes[i] != ':' && bytes[i] != ' ') {
                i++;
            }
            return new String(bytes, start, i - start, StandardCharsets.UTF_8);
        }

        /**
         * A frame's name: its symbol without perf's "+0x1f" offset into it ("\t7f00 sym+0x1f (module)" ->
         * "sym"); perf's unresolved "[unknown]" becomes "[module]", which tells more; names past
         * {@code maxChars} are cut and end in "...".
         */
        public String frameName(int maxChars) {
            int i = 0;
            while (bytes[i] == '\t' || bytes[i] == ' ') {
                i++;
            }
            while (bytes[i] != ' ') {
                i++;
            }
            int end = length - 1;
            while (end > i + 1 && !(bytes[end] == '(' && bytes[end - 1] == ' ')) {
                end--;
            }
            String symbol = new String(bytes, i + 1, Math.max(0, end - 1 - (i + 1)), StandardCharsets.UTF_8);
            int plus = symbol.lastIndexOf("+0x");
            if (plus > 0 && symbol.substring(plus + 3).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                symbol = symbol.substring(0, plus);
            }
            if (symbol.equals("[unknown]")) {
                symbol = "[" + new String(bytes, end + 1, length - end - 2, StandardCharsets.UTF_8) + "]";
            }
            return symbol.length() > maxChars ? symbol.substring(0, maxChars) + "..." : symbol;
        }
    }

    private static final int BUFFER = 64 * 1024;

    private final Lines lines;
    private final Line line = new Line();
    private boolean tooLong;
    private boolean afterCr;

    private PerfScriptReader(Lines lines) {
        this.lines = lines;
    }

    /** Reads {@code in} to its end, telling {@code lines}. */
    public static void read(InputStream in, Lines lines) throws IOException {
        PerfScriptReader r = new PerfScriptReader(lines);
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            for (int i = 0; i < n; i++) {
                r.accept(buffer[i]);
            }
        }
        r.endLine();
        lines.endStack();
    }

    private void accept(byte b) {
        if (b == '\n' && afterCr) { // the "\n" of "\r\n"
            afterCr = false;
            return;
        }
        afterCr = b == '\r';
        if (b == '\n' || b == '\r') {
            endLine();
        } else if (line.length < line.bytes.length) {
            line.bytes[line.length++] = b;
        } else {
            tooLong = true;
        }
    }

    private void endLine() {
        byte[] b = line.bytes;
        int length = line.length;
        if (tooLong) {
            lines.skipped();
        } else if (length == 0 || b[0] == '#' || PerfScriptCheck.isBlank(b, 0, length)) {
            lines.endStack();
        } else {
            int timeEnd = PerfScriptCheck.sampleTimeEnd(b, 0, length);
            if (timeEnd >= 0 && b[0] != '\t') {
                lines.endStack();
                sample(timeEnd);
            } else if (PerfScriptCheck.isFrame(b, 0, length)) {
                lines.frame(line);
            } else {
                lines.skipped();
            }
        }
        line.length = 0;
        tooLong = false;
    }

    private void sample(int timeEnd) {
        int start = PerfScriptCheck.timeStart(line.bytes, 0, timeEnd);
        double time;
        try {
            time = Double.parseDouble(new String(line.bytes, start, timeEnd - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            lines.skipped();
            return;
        }
        line.timeEnd = timeEnd;
        lines.sample(time, line);
    }
}
