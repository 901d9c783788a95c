package dev.perfaas.agent;

import dev.perfaas.hook.ProcCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One perf per function on its cgroup ({@code -a -G}, what the agent runs) against one perf per
 * instance on its processes ({@code -p}), at the same frequency, each alternated with a phase without
 * perf: perf record's own CPU, the sampled function's added CPU per request, the samples, and what
 * perf script then costs on the file. Both record with the agent's sampling flags; the agent's
 * control fifo and output rotation are left out, as they are the same for both.
 */
final class PerfTargetCost {
    private PerfTargetCost() {}

    /** One recording phase. */
    private record Recorded(
            double ratio, long functionCpu, long perfCpu, long samples, long scriptCpu, long bytes, long seconds) {}

    static void run(GoTwins twins, Path dir, int hz, int phaseSeconds, int rounds) throws Exception {
        Files.createDirectories(dir);
        System.out.printf(
                "%n-a -G against -p at %d Hz: %d rounds of %d s with each, between %d s without perf%n",
                hz, rounds, phaseSeconds, phaseSeconds);
        System.out.printf(
                "%5s %6s %23s %10s %12s %10s %18s %9s %s%n",
                "round",
                "target",
                "B/A CPU/req off/on/off",
                "fn added",
                "perf record",
                "samples/s",
                "script ms/run",
                "data MB",
                "notes (perf record as % of the sampled function's CPU)");
        Map<String, List<Double>> added = new LinkedHashMap<>();
        Map<String, long[]> sums = new LinkedHashMap<>(); // function CPU, perf CPU, samples, script CPU, seconds
        double before = AgentCostBench.offPhase(twins, phaseSeconds);
        for (int r = 1; r <= rounds; r++) {
            for (String target : List.of("-G", "-p")) {
                Recorded on = record(twins, dir, target, hz, phaseSeconds);
                String notes = twins.foreignPerfs(java.util.Set.of()) > 0
                        ? "DISTURBED: a perf of another agent on the sampled container"
                        : "";
                double after = AgentCostBench.offPhase(twins, phaseSeconds);
                double add = on.ratio / ((before + after) / 2) - 1;
                added.computeIfAbsent(target, t -> new ArrayList<>()).add(add);
                long[] s = sums.computeIfAbsent(target, t -> new long[5]);
                s[0] += on.functionCpu;
                s[1] += on.perfCpu;
                s[2] += on.samples;
                s[3] += on.scriptCpu;
                s[4] += on.seconds;
                System.out.printf(
                        "%5d %6s %7.3f/%7.3f/%7.3f %+9.2f%% %11.2f%% %10.0f %18.1f %9.1f %s%n",
                        r,
                        target,
                        before,
                        on.ratio,
                        after,
                        100 * add,
                        AgentCostBench.pct(on.perfCpu, on.functionCpu),
                        on.samples / (double) on.seconds,
                        on.scriptCpu / 1e6,
                        on.bytes / 1e6,
                        notes);
                before = after;
            }
        }
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            long[] s = e.getValue();
            System.out.printf(
                    "target %s at %d Hz: perf record %.2f%% of the sampled function's CPU, function %+.2f%% per"
                            + " request (rounds %s), %.0f samples/s, perf script %.0f ms per run%n",
                    e.getKey(),
                    hz,
                    AgentCostBench.pct(s[1], s[0]),
                    100 * AgentCostBench.mean(added.get(e.getKey())),
                    added.get(e.getKey()).stream()
                            .map(a -> String.format("%+.2f%%", 100 * a))
                            .toList(),
                    s[2] / (double) s[4],
                    s[3] / 1e6 / rounds);
        }
    }

    /** perf record on the sampled side for {@code seconds}, its CPU meanwhile, then its file rendered. */
    private static Recorded record(GoTwins twins, Path dir, String target, int hz, int seconds) throws Exception {
        Path data = dir.resolve("perf" + target + ".data");
        List<String> argv = new ArrayList<>(List.of("perf", "record", "-e", "cpu-clock", "-F", Integer.toString(hz)));
        if (target.equals("-G")) {
            argv.addAll(List.of("-a", "-G", twins.sampled.cgroup.perfEvent()));
        } else {
            // Per-thread events record no CPU unless asked: the agent's profiles name it (ProfileRender.FIELDS).
            argv.addAll(List.of(
                    "-p",
                    String.join(
                            ",",
                            twins.sampled.pids().stream().map(String::valueOf).toList()),
                    "--sample-cpu"));
        }
        argv.addAll(List.of("-g", "--no-bpf-event", "-k", "CLOCK_MONOTONIC", "-q", "-o", data.toString()));
        Process perf = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("perf" + target + ".log").toFile())
                .start();
        try {
            Thread.sleep(1000); // perf's start-up
            GoTwins.Tally t0 = twins.tally();
            long cpu0 = perfCpu(perf);
            Thread.sleep(seconds * 1000L);
            GoTwins.Tally t1 = twins.tally();
            long cpu = perfCpu(perf) - cpu0;
            perf.destroy(); // SIGTERM: perf finishes its file
            if (!perf.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("perf record " + target + " did not stop");
            }
            long bytes = Files.size(data);
            ProfileRender.Rendered r = ProfileRender.render("perf", data, dir.resolve("profile" + target + ".gz"));
            if (r.file() != null) {
                Files.delete(r.file());
            }
            // Samples per second over perf's whole run: the measured seconds and its start-up.
            return new Recorded(
                    t1.ratioSince(t0),
                    t1.sampledCpuSince(t0),
                    cpu,
                    r.samples(),
                    r.scriptCpuNanos(),
                    bytes,
                    seconds + 1);
        } finally {
            perf.destroyForcibly();
            Files.deleteIfExists(data);
        }
    }

    private static long perfCpu(Process perf) throws IOException {
        ProcCpu.Times t = ProcCpu.of(perf.pid());
        if (t == null) {
            throw new IOException("perf record exited early (" + perf.exitValue() + ")");
        }
        return t.ownNanos();
    }
}
