package dev.perfaas.flamescope;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** FlameScope's heat map of a perf profile: app/perf/heatmap.py and app/controllers/heatmap.py. */
final class HeatMap {

    /**
     * Rows per second: app/controllers/heatmap.py's DEFAULT_ROWS, and the value FlameScope's page
     * asks for until its user picks another (src/components/Heatmap/Heatmap.jsx, rows: '50').
     */
    static final int DEFAULT_ROWS = 50;

    /** Start, end and the times of the samples that are not idle, as perf_read_offsets returns them. */
    record Offsets(double start, double end, List<Double> offsets) {}

    /** The heat map's shape and the sum of its cells. */
    record Result(double start, double end, long columns, int rows, long samples) {}

    private HeatMap() {}

    /**
     * app/perf/heatmap.py, perf_read_offsets. Every line not starting with '#' is searched for a sample
     * ({@code event_regexp}, tab-indented lines included); a sample's "stack" is its line and the lines
     * up to the next sample, each right-stripped and joined with nothing between. A stack in which
     * {@code idle_regexp} finds "swapper" then an idle function is left out; so is nothing else. Lines
     * before the first sample that are not blank form a stack too, recorded at time -1. The start is
     * the smallest sample time, but the end is the time of the LAST sample line (the {@code ts > end}
     * test runs once, after the loop): a file whose last sample is not its latest gets an end before
     * some of its samples.
     */
    static Offsets readOffsets(String file, List<String> lines) {
        double start = Double.POSITIVE_INFINITY;
        double end = Double.NEGATIVE_INFINITY;
        List<Double> offsets = new ArrayList<>();
        StringBuilder stack = new StringBuilder();
        double ts = -1;
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.charAt(0) == '#') {
                continue;
            }
            Matcher m = PerfRegexps.EVENT.matcher(line);
            if (m.find()) {
                if (stack.length() > 0) {
                    if (!PerfRegexps.IDLE.matcher(stack).find()) {
                        offsets.add(ts);
                    }
                    stack.setLength(0);
                }
                ts = PythonText.toFloat(file, m.group(1), "heat map, line " + number);
                if (ts < start) {
                    start = ts;
                }
                stack.append(PythonText.rstrip(line));
            } else {
                stack.append(PythonText.rstrip(line));
            }
        }
        if (!PerfRegexps.IDLE.matcher(stack).find()) {
            offsets.add(ts);
        }
        if (ts > end) {
            end = ts;
        }
        return new Offsets(start, end, offsets);
    }

    /**
     * app/controllers/heatmap.py, generate_heatmap: {@code cols = int(ceil(end) - floor(start))}
     * columns of one second and {@code rows} rows; a sample at {@code ts} goes to column
     * {@code floor(ts - floor(start))} and row {@code rows - floor(rows * (ts % 1)) - 1}, indexed as
     * Python lists are (a negative index counts from the end), so a column at or past {@code cols}
     * raises IndexError: FlameScope answers HTTP 500.
     */
    static Result generate(String file, Offsets o, int rows) {
        if (Double.isInfinite(o.start()) || Double.isInfinite(o.end())) {
            throw new FlameScopeFailure(
                    file,
                    "heat map: floor()/ceil() of an infinite start or end raises OverflowError (no sample, or a"
                            + " time too large for a float): FlameScope answers HTTP 500");
        }
        double floorStart = Math.floor(o.start());
        long cols = (long) (Math.ceil(o.end()) - floorStart);
        for (double ts : o.offsets()) {
            long col = (long) Math.floor(ts - floorStart);
            long row = rows - (long) Math.floor(rows * pythonMod1(ts)) - 1;
            if (col >= cols || col < -cols) {
                throw new FlameScopeFailure(
                        file,
                        "heat map: the sample at " + ts + " s falls in column " + col + " of " + cols
                                + " (the profile's end is its last sample line's time, " + o.end()
                                + " s, and its start " + o.start() + " s): values[col] raises IndexError,"
                                + " FlameScope answers HTTP 500");
            }
            if (row >= rows || row < -rows) {
                throw new FlameScopeFailure(
                        file, "heat map: the sample at " + ts + " s falls in row " + row + ": IndexError, HTTP 500");
            }
        }
        return new Result(
                o.start(), o.end(), Math.max(cols, 0), rows, o.offsets().size());
    }

    /** Python's {@code ts % 1} for a float: the result takes the divisor's sign. */
    private static double pythonMod1(double ts) {
        double r = ts % 1.0;
        return r < 0 ? r + 1.0 : r;
    }
}
