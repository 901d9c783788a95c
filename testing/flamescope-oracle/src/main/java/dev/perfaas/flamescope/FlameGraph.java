package dev.perfaas.flamescope;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** FlameScope's flame graph of a whole perf profile: app/perf/flame_graph.py, no range asked. */
final class FlameGraph {

    /** app/perf/flame_graph.py, _get_profile_range: index_factor, one (line, time) pair kept per this many lines. */
    private static final int INDEX_FACTOR = 100;
    /** perf_generate_flame_graph's overscan: it stops reading at the first sample this far past the end. */
    private static final double OVERSCAN = 0.1;

    private record Range(double start, double end, List<double[]> index) {}

    private FlameGraph() {}

    /**
     * app/perf/flame_graph.py, _get_profile_range. Lines starting with '#' or a tab are skipped; the
     * others are searched for a sample. A time below the smallest so far lowers the start, and ONLY
     * otherwise ({@code elif}) can a time raise the end: the first sample never sets the end, so a
     * profile of one sample (or whose every later sample is earlier than all before it) keeps the end
     * at -inf, and {@code ceil(-inf)} raises OverflowError: HTTP 500. The range is
     * {@code floor(start), ceil(end)}; each sample on a line number divisible by 100 is indexed.
     */
    private static Range range(String file, List<String> lines) {
        double start = Double.POSITIVE_INFINITY;
        double end = Double.NEGATIVE_INFINITY;
        List<double[]> index = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.charAt(0) == '#' || line.charAt(0) == '\t') {
                continue;
            }
            Matcher m = PerfRegexps.EVENT.matcher(line);
            if (m.find()) {
                double ts = PythonText.toFloat(file, m.group(1), "flame graph, line " + (n + 1));
                if (n % INDEX_FACTOR == 0) {
                    index.add(new double[] {n, ts});
                }
                if (ts < start) {
                    start = ts;
                } else if (ts > end) {
                    end = ts;
                }
            }
        }
        if (Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new FlameScopeFailure(
                    file,
                    "flame graph: the profile's range is (" + start + ", " + end + ") and floor()/ceil() of an"
                            + " infinity raises OverflowError (FlameScope sets the end only from a sample that is"
                            + " not a new earliest one, so one sample is not enough): HTTP 500");
        }
        return new Range(Math.floor(start), Math.ceil(end), index);
    }

    /**
     * app/perf/flame_graph.py, perf_generate_flame_graph without a range. Lines before the line the
     * range index says to start at are skipped, then '#' lines. A line not starting with a tab that
     * holds a sample ends the previous sample's stack: left out when {@code idle_regexp} finds idle in
     * its frame names joined by ';', else added when its time is within the range. The new sample's
     * stack starts with its process name ({@code comm_regexp}, right-stripped; "&lt;unknown&gt;" without
     * one); each frame line ({@code frame_regexp}) puts its symbol, cut at its first '+' past the first
     * character, just after the process name, so the stack reads from the root to the leaf as perf
     * prints the leaf first. Other lines are ignored. A sample past the end plus 0.1 s stops the
     * reading. The last sample is added when within the range, idle or not.
     */
    static Frame generate(String file, List<String> lines) {
        Range r = range(file, lines);
        double start = r.start();
        double end = r.end();
        Frame root = new Frame("root", "");
        List<String[]> stack = new ArrayList<>(); // {name, module}, the process first
        double ts = -1;
        String comm = "";
        long lastLine = 0;
        long skipLines = 0;
        for (double[] pair : r.index()) {
            if (start < pair[1]) {
                skipLines = lastLine;
                break;
            }
            lastLine = (long) pair[0];
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (n < skipLines || line.charAt(0) == '#') {
                continue;
            }
            Matcher m = line.charAt(0) != '\t' ? PerfRegexps.EVENT.matcher(line) : null;
            if (m != null && m.find()) {
                if (!stack.isEmpty()) {
                    StringBuilder joined = new StringBuilder();
                    for (String[] pair : stack) {
                        joined.append(pair[0]).append(';');
                    }
                    if (!PerfRegexps.IDLE.matcher(joined).find() && ts >= start && ts <= end) {
                        root.add(stack, comm);
                    }
                    stack = new ArrayList<>();
                }
                ts = PythonText.toFloat(file, m.group(1), "flame graph, line " + (n + 1));
                if (ts > end + OVERSCAN) {
                    break;
                }
                Matcher c = PerfRegexps.COMM.matcher(line);
                if (c.find()) {
                    comm = PythonText.rstrip(c.group(1));
                    stack.add(new String[] {comm, ""});
                } else {
                    stack.add(new String[] {"<unknown>", ""});
                }
            } else {
                Matcher f = PerfRegexps.FRAME.matcher(line);
                if (f.find()) {
                    String name = f.group(1);
                    int plus = name.indexOf('+');
                    if (plus > 0) {
                        name = name.substring(0, plus);
                    }
                    // Python's list.insert(1, x) appends to an empty list.
                    stack.add(Math.min(1, stack.size()), new String[] {name, f.group(2)});
                }
            }
        }
        if (ts >= start && ts <= end) {
            root.add(stack, comm);
        }
        return root;
    }
}
