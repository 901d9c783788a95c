package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.FunctionProcess;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.LoadDriver;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Months unattended, compressed: the controller and three example functions under steady
 * closed-loop load for {@code --minutes} (30 by default), with short windows and low retention so
 * profiles are stored and evicted all along. Once a minute it prints the controller's resident
 * memory, its heap after a full GC (forced with jcmd: what a leak would grow; RSS also grows while
 * the JVM expands its heap towards -Xmx), open files and the bytes under the stacks directory; at
 * the end, the median of the last third against the middle third for each (1.00 = flat; the first
 * third holds the JIT's warm-up and the first fill of the store) and the failed invocations, which
 * must be 0 (exit code 1 otherwise).
 *
 * <p>Args: {@code [--root DIR] [--minutes N] [--sample-seconds N]}.
 */
public final class SoakBench {
    private static final List<String> FUNCTIONS = List.of("pi", "fib", "lines");
    // Retention holds a few minutes of each function's profiles, so eviction runs all along.
    private static final long MAX_UPLOAD = 4L << 20;
    private static final long FUNCTION_RETENTION = 8L << 20;
    private static final long TOTAL_RETENTION = 20L << 20;

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        int minutes = Integer.parseInt(Flags.take(args, "--minutes", "30"));
        int sampleSeconds = Integer.parseInt(Flags.take(args, "--sample-seconds", "60"));
        Path work = Files.createTempDirectory("perfaas-soak");
        Path stacks = work.resolve("stacks");
        Map<String, String> settings = Map.of(
                "perfaas.data-dir", work.resolve("data").toString(),
                "perfaas.policy.window-seconds", "10",
                "perfaas.policy.refresh-seconds", "2",
                "perfaas.control.period", "2s",
                "perfaas.max-upload-bytes", Long.toString(MAX_UPLOAD),
                "perfaas.retention.max-function-bytes", Long.toString(FUNCTION_RETENTION),
                "perfaas.retention.max-total-bytes", Long.toString(TOTAL_RETENTION));
        List<AutoCloseable> running = new ArrayList<>();
        Map<String, LoadDriver> loads = new LinkedHashMap<>();
        List<long[]> rows = new ArrayList<>();
        try {
            ControllerProcess controller =
                    ControllerProcess.start(project, Http.freePort(), stacks, settings, work.resolve("controller.log"));
            running.add(controller);
            // Every invocation traced at a high rate: the most profile bytes a minute the store has to take.
            HttpResponse<String> put = Http.send(
                    "PUT",
                    controller.url.resolve("/v1/targets/_default"),
                    "{\"maxOverhead\":0.5,\"samplesPerMinute\":100000,\"minFrequencyHz\":99,\"maxFrequencyHz\":99,"
                            + "\"minFraction\":1.0}");
            if (put.statusCode() != 200) {
                throw new IOException("setting the soak's targets failed: " + put.body());
            }
            for (String name : FUNCTIONS) {
                Path handler = project.root().resolve("examples").resolve(name);
                FunctionProcess f = FunctionProcess.start(
                        name,
                        FunctionBuild.link(project, handler, work.resolve(name)),
                        Http.freePort(),
                        controller.url,
                        Map.of(),
                        work.resolve(name + ".log"));
                running.add(0, f);
                LoadDriver load = new LoadDriver(f.url.resolve("/"), 1);
                running.add(0, load);
                loads.put(name, load);
            }
            long pid = controller.process.pid();
            System.out.printf(
                    "soak: %s under steady load for %d min; retention %d MB per function, %d MB in all%n",
                    FUNCTIONS, minutes, FUNCTION_RETENTION >> 20, TOTAL_RETENTION >> 20);
            System.out.println(
                    "  minute  RSS MB  heap after GC MB  open files  stacks KB  profiles  invocations  failed");
            long start = System.nanoTime();
            long end = start + minutes * 60_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(sampleSeconds * 1000L, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                long[] disk = disk(stacks);
                long ok = loads.values().stream().mapToLong(l -> l.ok.sum()).sum();
                long failed =
                        loads.values().stream().mapToLong(l -> l.failed.sum()).sum();
                long[] row = {rssKb(pid), heapAfterGc(pid, controller.url), openFiles(pid), disk[0], disk[1], ok, failed
                };
                rows.add(row);
                System.out.printf(
                        "  %6.1f  %6d  %16.1f  %10d  %9d  %8d  %11d  %6d%n",
                        (System.nanoTime() - start) / 60e9,
                        row[0] >> 10,
                        row[1] / 1048576.0,
                        row[2],
                        row[3] >> 10,
                        row[4],
                        row[5],
                        row[6]);
            }
        } finally {
            for (AutoCloseable r : running) {
                r.close();
            }
        }
        long failed = loads.values().stream().mapToLong(l -> l.failed.sum()).sum();
        long maxDisk = rows.stream().mapToLong(r -> r[3]).max().orElse(0);
        System.out.printf(
                "soak result after %d min: last third / middle third (medians): RSS %.2f, heap after GC %.2f,"
                        + " open files %.2f, stacks bytes %.2f; largest stacks %d KB (retention %d KB); %d failed invocations%n",
                minutes,
                drift(rows, 0),
                drift(rows, 1),
                drift(rows, 2),
                drift(rows, 3),
                maxDisk >> 10,
                TOTAL_RETENTION >> 10,
                failed);
        if (failed > 0) {
            System.exit(1);
        }
    }

    /** Median of column {@code c} over the last third of the rows, over its median in the middle third. */
    private static double drift(List<long[]> rows, int c) {
        int third = rows.size() / 3;
        if (third == 0) {
            return Double.NaN;
        }
        return median(rows.subList(rows.size() - third, rows.size()), c) / median(rows.subList(third, 2 * third), c);
    }

    private static double median(List<long[]> rows, int c) {
        long[] v = rows.stream().mapToLong(r -> r[c]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    /** Bytes and profiles under the stacks directory (temp files included: they take space too). */
    private static long[] disk(Path stacks) throws IOException {
        if (!Files.isDirectory(stacks)) {
            return new long[2];
        }
        long[] sum = new long[2];
        try (Stream<Path> s = Files.walk(stacks)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    sum[0] += Files.size(p);
                    if (p.toString().endsWith(".perf")) {
                        sum[1]++;
                    }
                } catch (IOException e) {
                    // evicted while we walked
                }
            });
        }
        return sum;
    }

    /** Heap in use right after a full GC: jcmd GC.run, then the JVM's own figure from /q/metrics. */
    private static long heapAfterGc(long pid, URI controller) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (gc.waitFor() != 0) {
            throw new IOException(jcmd + " " + pid + " GC.run failed");
        }
        long heap = 0;
        for (String line : Http.get(controller.resolve("/q/metrics")).body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return heap;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }
}
