package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Project;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The merged endpoint over an hour of a busy function: {@code --instances} instances' window profiles,
 * one a minute each (ProfileStore's names and layout, pi-shaped stacks of the async engine's form), for
 * function-wide sample rates of {@code --rates} samples a minute (the control law's target is
 * function-wide: 600 by default). The real controller jar answers GET .../merged in folded text and JSON,
 * the cases alternated; each request's time is printed as the median and the worst of {@code --repeat},
 * after two warm-up rounds, with the controller's CPU time a request (what other work on a shared machine
 * changes least) and its resident memory before and at its peak.
 *
 * <p>Args: {@code [--quick] [--root DIR] [--instances N] [--minutes N] [--rates A,B] [--repeat N]}.
 */
public final class MergedRangeBench {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.remove("--quick");
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        int instances = Integer.parseInt(Flags.take(args, "--instances", quick ? "2" : "10"));
        int minutes = Integer.parseInt(Flags.take(args, "--minutes", quick ? "5" : "60"));
        int[] rates = Arrays.stream(
                        Flags.take(args, "--rates", quick ? "600" : "600,6000").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int repeat = Integer.parseInt(Flags.take(args, "--repeat", quick ? "1" : "10"));
        Path work = Files.createTempDirectory("perfaas-merged");
        Instant start = Instant.parse("2026-12-06T10:00:00Z");
        try {
            long[] bytes = new long[rates.length];
            for (int r = 0; r < rates.length; r++) {
                bytes[r] = write(work.resolve("stacks"), "fn" + rates[r], instances, minutes, rates[r], start);
                System.out.printf(
                        "fn%d: %d instances x %d one-minute windows at %d samples/min: %d files, %.1f MB%n",
                        rates[r], instances, minutes, rates[r], instances * minutes, bytes[r] / 1e6);
            }
            try (ControllerProcess c = ControllerProcess.start(
                    project,
                    Http.freePort(),
                    work.resolve("stacks"),
                    Map.of("perfaas.data-dir", work.resolve("data").toString()),
                    work.resolve("controller.log"))) {
                long pid = c.process.pid();
                System.out.printf("controller RSS at start: %d MB (-Xmx256m)%n", ProcStat.rssMb(pid));
                PeakRss peakRss = new PeakRss(pid);
                String range = "from=" + start + "&to=" + start.plus(Duration.ofMinutes(minutes));
                List<String> cases = new ArrayList<>();
                for (int rate : rates) {
                    for (String format : List.of("folded", "json")) {
                        cases.add("/v1/profiles/fn" + rate + "/merged?" + range + "&format=" + format);
                    }
                }
                long[][] nanos = new long[cases.size()][repeat];
                long[] cpuMillis = new long[cases.size()];
                long[] answered = new long[cases.size()];
                for (int round = -2; round < repeat; round++) { // two warm-up rounds, then the measured ones
                    for (int k = 0; k < cases.size(); k++) {
                        long cpu0 = ProcStat.cpuMillis(pid);
                        long t0 = System.nanoTime();
                        answered[k] = get(c.url.resolve(cases.get(k)));
                        if (round >= 0) {
                            nanos[k][round] = System.nanoTime() - t0;
                            cpuMillis[k] += ProcStat.cpuMillis(pid) - cpu0;
                        }
                    }
                }
                peakRss.close();
                for (int k = 0; k < cases.size(); k++) {
                    long[] n = nanos[k];
                    Arrays.sort(n);
                    System.out.printf(
                            "  %s: median %d ms, worst %d ms of %d; controller CPU %d ms a request; answer %d bytes%n",
                            cases.get(k).replace(range + "&", ""),
                            n[n.length / 2] / 1_000_000,
                            n[n.length - 1] / 1_000_000,
                            repeat,
                            cpuMillis[k] / repeat,
                            answered[k]);
                }
                System.out.printf(
                        "controller RSS: peak %d MB, after %d MB; load average %s%n",
                        peakRss.mb(),
                        ProcStat.rssMb(pid),
                        Files.readString(Path.of("/proc/loadavg")).trim());
            }
        } finally {
            FunctionBuild.deleteTree(work);
        }
    }

    /** The answer's size; anything but a 200 is an error. */
    private static long get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = Http.get(uri);
        if (r.statusCode() != 200) {
            throw new IOException(uri + ": " + r.statusCode() + " " + r.body());
        }
        return r.body().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The function's profiles as ProfileStore stores them; their total size. */
    private static long write(Path stacks, String function, int instances, int minutes, int perMinute, Instant start)
            throws IOException {
        Path dir = Files.createDirectories(stacks.resolve(function));
        Random random = new Random(42);
        int perFile = Math.max(2, perMinute / instances);
        long total = 0;
        for (int i = 0; i < instances; i++) {
            double clock = 1000 + 7919 * i; // each instance's own monotonic clock
            for (int m = 0; m < minutes; m++) {
                Path file = dir.resolve(
                        function + "-" + function + "-" + i + "-" + STAMP.format(start.plusSeconds(60L * m)) + ".perf");
                try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    w.write("# ========\n# perfaas profile, made in process from JFR\n# ========\n#\n");
                    for (int s = 0; s < perFile; s++) {
                        double t = clock + m * 60 + s * (60.0 / perFile) + 0.000123;
                        w.write(String.format(
                                "perfaas-request 4747/%d [000] %.6f: 1 wall-running:%n", 4750 + s % 8, t));
                        w.write(stack(random));
                        w.write('\n');
                    }
                }
                total += Files.size(file);
            }
        }
        return total;
    }

    private static final String[] BASE = {
        "java.lang.Thread.run",
        "java.util.concurrent.ThreadPoolExecutor$Worker.run",
        "java.util.concurrent.ThreadPoolExecutor.runWorker",
        "sun.net.httpserver.ServerImpl$Exchange.run",
        "com.sun.net.httpserver.Filter$Chain.doFilter",
        "sun.net.httpserver.AuthFilter.doFilter",
        "com.sun.net.httpserver.Filter$Chain.doFilter",
        "sun.net.httpserver.ServerImpl$Exchange$LinkHandler.handle",
        "dev.perfaas.runtime.FunctionServer$$Lambda.handle",
        "dev.perfaas.runtime.FunctionServer.serve",
        "dev.perfaas.hook.TraceHook.around",
        "dev.perfaas.runtime.FunctionServer.invoke",
        "com.openfaas.function.Handler.Handle",
    };

    /**
     * A pi stack, leaf first as perf prints it: mostly Handler.leibnizPi, else the file round trip with one
     * of 40 JDK and kernel tails of varied depth.
     */
    private static String stack(Random random) {
        List<String> frames = new ArrayList<>(Arrays.asList(BASE));
        if (random.nextInt(10) < 8) {
            frames.add("com.openfaas.function.Handler.leibnizPi");
        } else {
            frames.add("com.openfaas.function.Handler.roundTripFile");
            int tail = random.nextInt(40);
            for (int d = 0; d < 4 + tail % 12; d++) {
                frames.add("java.nio.file.Files.op" + (tail + d) % 17);
            }
            frames.add("sun.nio.fs.UnixNativeDispatcher.open0");
        }
        StringBuilder sb = new StringBuilder();
        if (frames.get(frames.size() - 1).endsWith("open0")) {
            sb.append("\t0 do_sys_openat2 ([kernel.kallsyms])\n");
        }
        for (int k = frames.size() - 1; k >= 0; k--) {
            sb.append("\t0 ").append(frames.get(k)).append(" (java)\n");
        }
        return sb.toString();
    }
}
