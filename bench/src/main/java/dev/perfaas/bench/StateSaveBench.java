package dev.perfaas.bench;

import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionCounters;
import dev.perfaas.controller.loop.ControlStatus;
import dev.perfaas.controller.loop.ControlStore;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.loop.HistoryEntry;
import dev.perfaas.controller.loop.MeasuredPeriod;
import dev.perfaas.controller.loop.PublishedPolicy;
import dev.perfaas.controller.loop.SavedFunction;
import dev.perfaas.launcher.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What saving the control state costs the controller per control period, with the controller's own
 * store ({@link ControlStore}) on this machine's disk: every function with a full history (30
 * steps, the default perfaas.control.history) and counters from 3 instances, then periods in which a
 * few functions step, and periods in which a sixth of them do (every function reporting 60 s windows,
 * a 10 s period). Prints the median and worst save per period, the bytes a period wrote, the size of
 * the state on disk, how long writing all of it takes (the first save; a compaction) and how long a
 * restart takes to load it.
 *
 * <p>Args: {@code [--quick] [--functions N,N,...] [--stepped N] [--periods N]}.
 */
public final class StateSaveBench {

    private static final int HISTORY = 30;
    private static final LawState PRIOR = new ControlLaw(LawConfig.DEFAULT).initial(Targets.DEFAULT);

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.contains("--quick");
        List<Integer> sizes = Stream.of(Flags.take(args, "--functions", quick ? "100" : "100,1000,10000")
                        .split(","))
                .map(Integer::parseInt)
                .toList();
        int stepped = Integer.parseInt(Flags.take(args, "--stepped", "5"));
        int periods = Integer.parseInt(Flags.take(args, "--periods", quick ? "3" : "10"));
        System.out.printf("state save bench: %d history steps per function, %d periods per case%n", HISTORY, periods);
        System.out.printf(
                "%9s %9s %10s %10s %12s %10s %13s %9s%n",
                "functions",
                "stepped",
                "median ms",
                "worst ms",
                "KB written",
                "on disk MB",
                "full write ms",
                "load ms");
        run(sizes.get(0), 1, periods); // warms the JIT; not printed
        for (int n : sizes) {
            System.out.println(run(n, Math.min(stepped, n), periods));
            System.out.println(run(n, Math.max(1, n / 6), periods));
        }
    }

    /** One case: n functions, {@code stepped} of them stepped in each period; its table row. */
    private static String run(int n, int stepped, int periods) throws IOException {
        Path dir = Files.createTempDirectory("perfaas-state-save");
        try {
            Map<String, Targets> targets = Map.of("_default", Targets.DEFAULT);
            Map<String, SavedFunction> functions = new TreeMap<>();
            int[] steps = new int[n];
            for (int f = 0; f < n; f++) {
                functions.put(name(f), saved(f, 0));
            }
            ControlStore store = new ControlStore(dir, HISTORY);
            store.load();
            long fullStart = System.nanoTime();
            store.save(targets, functions, () -> functions);
            long fullNanos = System.nanoTime() - fullStart;
            long[] nanos = new long[periods];
            long written = 0;
            for (int p = 0; p < periods; p++) {
                // As the control service does: the stepped functions are offered, the store asks for the rest if it
                // compacts.
                Map<String, SavedFunction> changed = new HashMap<>();
                for (int s = 0; s < stepped; s++) {
                    int f = (p * stepped + s) % n;
                    changed.put(name(f), saved(f, ++steps[f]));
                }
                functions.putAll(changed);
                long chars = writtenChars();
                long start = System.nanoTime();
                store.save(targets, changed, () -> functions);
                nanos[p] = System.nanoTime() - start;
                written += writtenChars() - chars;
            }
            long loadStart = System.nanoTime();
            int loaded = new ControlStore(dir, HISTORY).load().functions().size();
            long loadNanos = System.nanoTime() - loadStart;
            if (loaded != n) {
                throw new IllegalStateException("loaded " + loaded + " functions of " + n);
            }
            Arrays.sort(nanos);
            return String.format(
                    "%9d %9d %10.1f %10.1f %12.0f %10.1f %13.0f %9.0f",
                    n,
                    stepped,
                    nanos[periods / 2] / 1e6,
                    nanos[periods - 1] / 1e6,
                    written / 1024.0 / periods,
                    bytesIn(dir) / 1e6,
                    fullNanos / 1e6,
                    loadNanos / 1e6);
        } finally {
            delete(dir);
        }
    }

    private static String name(int f) {
        return "fn-" + f;
    }

    /** Function f after {@code steps} control steps: a full history, its last entry the newest step. */
    private static SavedFunction saved(int f, int steps) {
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = steps; i < steps + HISTORY; i++) {
            history.add(entry(f, i));
        }
        HistoryEntry last = history.get(HISTORY - 1);
        FunctionControl control = new FunctionControl(
                PRIOR,
                new PublishedPolicy(last.fraction(), last.frequencyHz(), last.version()),
                new ControlStatus(last.overhead(), last.sampleRatio(), last.inControl(), false, last.timeMillis()),
                history);
        long reports = 3L * (HISTORY + steps);
        return new SavedFunction(
                control,
                new FunctionCounters(
                        41_152 * reports,
                        411 * reports,
                        204 * reports,
                        reports,
                        3,
                        Map.of(
                                "fn-" + f + "-7d9f8c6b5-x2k4p",
                                last.timeMillis(),
                                "fn-" + f + "-7d9f8c6b5-q8r2t",
                                last.timeMillis(),
                                "fn-" + f + "-7d9f8c6b5-m3n7v",
                                last.timeMillis())));
    }

    /** A realistic step: a 60 s window of 3 instances, figures with full double precision. */
    private static HistoryEntry entry(int f, int step) {
        double jitter = 1 + ((f * 31 + step * 17) % 100) / 1000.0;
        MeasuredPeriod period = new MeasuredPeriod(
                60.01 * jitter,
                3,
                3,
                (long) (123_456 * jitter),
                (long) (1234 * jitter),
                12.345_678_9 * jitter,
                0.012_345_6 * jitter,
                (long) (612 * jitter),
                0,
                "async",
                0.001_23 * jitter);
        return new HistoryEntry(
                1_767_000_000_000L + step * 60_000L,
                period,
                0.009_123_45 * jitter,
                1.023_456_7 * jitter,
                0.012_345_6 * jitter,
                99,
                12 + step,
                "samples",
                false);
    }

    /** Bytes this process has handed to write(2) so far (/proc/self/io wchar): what the store wrote. */
    private static long writtenChars() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no wchar in /proc/self/io");
    }

    private static long bytesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
