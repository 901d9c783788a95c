package dev.perfaas.agent;

import dev.perfaas.bench.ControlLoopBench;
import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the node agent costs, on this machine with Docker and perf (BENCHMARKS.md section 8): two
 * containers of the Go function under the same steady load ({@link GoTwins}), the agent sampling one
 * of them, in phases alternated with phases without any agent. Four parts, each run in turn:
 *
 * <ul>
 *   <li>{@code slots}: what an enable/disable slot costs, the agent's own {@link PerfRecord} toggled
 *       on the sampled container's cgroup ({@link SlotCost});
 *   <li>{@code target}: one perf with {@code -a -G <cgroup>} against one with {@code -p <pids>}, same
 *       frequency, alternated with no perf ({@link PerfTargetCost});
 *   <li>{@code hz}: the real agent under the real controller with the fraction forced to 1 at each
 *       frequency: its JVM, perf record and perf script CPU, and the function's added CPU per request;
 *   <li>{@code loop}: the real loop at a 1 % ceiling over {@code --steps} control periods: the sample
 *       ratio each period, the overhead the loop sees against the overhead measured beside it
 *       ({@link LoopAtCeiling}).
 * </ul>
 *
 * <p>Args: {@code [--quick] [--root DIR] [--parts slots,target,hz,loop] [--rate REQ_PER_S] [--n N]
 * [--phase-seconds N] [--rounds N] [--hz 19,99,997] [--target-hz N] [--pairs N] [--window-seconds N]
 * [--steps N] [--keep]}. Root and the perf_event cgroup are needed, as for the agent. --quick is a smoke run
 * for the bench's tests: it asserts nothing about timings.
 */
public final class AgentCostBench {
    private AgentCostBench() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.remove("--quick");
        boolean keep = args.remove("--keep"); // the agents' and controllers' logs, to read after
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        List<String> parts =
                List.of(Flags.take(args, "--parts", "slots,target,hz,loop").split(","));
        double rate = Double.parseDouble(Flags.take(args, "--rate", "40"));
        int n = Integer.parseInt(Flags.take(args, "--n", "100000"));
        int phaseSeconds = Integer.parseInt(Flags.take(args, "--phase-seconds", quick ? "5" : "30"));
        int rounds = Integer.parseInt(Flags.take(args, "--rounds", quick ? "1" : "3"));
        List<Integer> hzs = Stream.of(
                        Flags.take(args, "--hz", quick ? "99" : "19,99,997").split(","))
                .map(Integer::parseInt)
                .toList();
        int targetHz = Integer.parseInt(Flags.take(args, "--target-hz", quick ? "99" : "997"));
        int pairs = Integer.parseInt(Flags.take(args, "--pairs", quick ? "50" : "2000"));
        int windowSeconds = Integer.parseInt(Flags.take(args, "--window-seconds", quick ? "5" : "30"));
        int steps = Integer.parseInt(Flags.take(args, "--steps", quick ? "2" : "12"));
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + args);
        }
        Path work = Files.createTempDirectory("perfaas-agent-bench");
        try (GoTwins twins = GoTwins.start(project, rate, n)) {
            System.out.printf(
                    "agent cost bench: Go function (?n=%d) at %.0f req/s in two containers at once, one labelled"
                            + " faas_function=%s; load average %s%n",
                    n, rate, GoTwins.FUNCTION, loadAverage());
            Thread.sleep((quick ? 2 : 10) * 1000L); // both sides' load settles
            for (String part : parts) {
                switch (part) {
                    case "slots" -> SlotCost.run(twins, work.resolve("slots"), pairs);
                    case "target" -> PerfTargetCost.run(twins, work.resolve("target"), targetHz, phaseSeconds, rounds);
                    case "hz" -> {
                        for (int hz : hzs) {
                            frequency(project, twins, work.resolve("hz-" + hz), hz, phaseSeconds, rounds);
                        }
                    }
                    case "loop" ->
                        LoopAtCeiling.run(project, twins, work.resolve("loop"), windowSeconds, steps, quick ? 5 : 60);
                    default -> throw new IllegalArgumentException("no part " + part);
                }
                System.out.printf("(part %s done; load average %s)%n", part, loadAverage());
            }
            if (twins.plain.failed() + twins.sampled.failed() > 0) {
                throw new IllegalStateException(
                        "requests failed: " + twins.plain.failed() + " plain, " + twins.sampled.failed() + " sampled");
            }
        } finally {
            if (keep) {
                System.out.println("kept: " + work);
            } else {
                FunctionBuild.deleteTree(work);
            }
        }
    }

    /**
     * The agent under a controller whose targets force fraction 1 at {@code hz}: rounds of a phase
     * with the agent (started for it, measured once it samples) between phases without.
     */
    private static void frequency(Project project, GoTwins twins, Path dir, int hz, int phaseSeconds, int rounds)
            throws Exception {
        try (ControllerProcess controller = controller(project, dir, 10)) {
            ControlLoopBench.putTargets(
                    controller.url,
                    GoTwins.FUNCTION,
                    "{\"maxOverhead\":0.5,\"samplesPerMinute\":1000000,\"minFrequencyHz\":" + hz
                            + ",\"maxFrequencyHz\":" + hz + ",\"minFraction\":1.0}");
            System.out.printf(
                    "%nagent at %d Hz, fraction 1 (10 s windows, a profile cut each): %d rounds of %d s with it,"
                            + " between %d s without%n",
                    hz, rounds, phaseSeconds, phaseSeconds);
            System.out.printf(
                    "%5s %23s %10s %8s %8s %8s %8s %8s %8s %s%n",
                    "round",
                    "B/A CPU/req off/on/off",
                    "fn added",
                    "us/req",
                    "fn ms/s",
                    "JVM",
                    "record",
                    "script",
                    "profiles",
                    "notes (the agent's CPU in ms per s)");
            double before = offPhase(twins, phaseSeconds);
            List<Double> added = new ArrayList<>();
            AgentRun.Cpu agentSum = new AgentRun.Cpu(0, 0, 0);
            long functionCpu = 0;
            for (int r = 1; r <= rounds; r++) {
                Sampled on = sampledPhase(
                        project, controller.url, stacks(dir), twins, dir.resolve("agent-" + r), hz, phaseSeconds);
                double after = offPhase(twins, phaseSeconds);
                double base = (before + after) / 2;
                double add = on.ratio / base - 1;
                added.add(add);
                agentSum = new AgentRun.Cpu(
                        agentSum.jvm() + on.agent.jvm(),
                        agentSum.perfRecord() + on.agent.perfRecord(),
                        agentSum.perfScript() + on.agent.perfScript());
                functionCpu += on.functionCpu;
                double ms = phaseSeconds * 1e6;
                System.out.printf(
                        "%5d %7.3f/%7.3f/%7.3f %+9.2f%% %+8.1f %8.1f %8.1f %8.1f %8.1f %8d %s%n",
                        r,
                        before,
                        on.ratio,
                        after,
                        100 * add,
                        add * on.plainCpuPerRequest / 1e3,
                        on.functionCpu / ms,
                        on.agent.jvm() / ms,
                        on.agent.perfRecord() / ms,
                        on.agent.perfScript() / ms,
                        on.profiles,
                        on.notes);
                before = after;
            }
            double ms = rounds * phaseSeconds * 1e6;
            System.out.printf(
                    "hz %d: added function CPU per request %+.2f%% (mean of rounds %s); agent JVM %.2f%%, perf"
                            + " record %.2f%%, perf script %.2f%% of the sampled function's CPU (%.0f ms/s); in ms/s:"
                            + " JVM %.1f, perf record %.1f, perf script %.1f%n",
                    hz,
                    100 * mean(added),
                    added.stream().map(a -> String.format("%+.2f%%", 100 * a)).toList(),
                    pct(agentSum.jvm(), functionCpu),
                    pct(agentSum.perfRecord(), functionCpu),
                    pct(agentSum.perfScript(), functionCpu),
                    functionCpu / ms,
                    agentSum.jvm() / ms,
                    agentSum.perfRecord() / ms,
                    agentSum.perfScript() / ms);
        }
    }

    /** A phase with the agent sampling: the twins' ratio, the agent's CPU and what it sent. */
    record Sampled(
            double ratio,
            double plainCpuPerRequest,
            long functionCpu,
            AgentRun.Cpu agent,
            long profiles,
            String notes) {}

    /** Starts the agent, waits until it samples at {@code hz}, measures {@code seconds}, stops it. */
    static Sampled sampledPhase(
            Project project, URI controller, Path stacks, GoTwins twins, Path dir, int hz, int seconds)
            throws Exception {
        String cgroup = twins.sampled.cgroup.perfEvent();
        try (AgentRun agent = AgentRun.start(project, controller, dir)) {
            agent.awaitSampling(cgroup, hz, Duration.ofSeconds(60));
            Thread.sleep(1000); // perf's start-up, and its first enable
            long profiles = profiles(stacks);
            GoTwins.Tally t0 = twins.tally();
            AgentRun.Cpu c0 = agent.cpu();
            Thread.sleep(seconds * 1000L);
            GoTwins.Tally t1 = twins.tally();
            AgentRun.Cpu c1 = agent.cpu();
            String notes = notes(twins, agent, cgroup);
            return new Sampled(
                    t1.ratioSince(t0),
                    t1.plainCpuPerRequestSince(t0),
                    t1.sampledCpuSince(t0),
                    c1.minus(c0),
                    profiles(stacks) - profiles,
                    notes);
        }
    }

    /** What may have disturbed a phase on this shared machine. */
    static String notes(GoTwins twins, AgentRun agent, String cgroup) throws IOException {
        List<String> notes = new ArrayList<>();
        long others = agent.otherPerfRecords(cgroup);
        if (others > 0) {
            notes.add(others + " other function(s) sampled by this agent");
        }
        long foreign = twins.foreignPerfs(agent.pids());
        if (foreign > 0) {
            notes.add("DISTURBED: " + foreign + " perf of another agent on the sampled container");
        }
        return String.join("; ", notes);
    }

    /** The twins' ratio over {@code seconds} without any agent. */
    static double offPhase(GoTwins twins, int seconds) throws InterruptedException {
        GoTwins.Tally t0 = twins.tally();
        Thread.sleep(seconds * 1000L);
        return twins.tally().ratioSince(t0);
    }

    static ControllerProcess controller(Project project, Path dir, int windowSeconds)
            throws IOException, InterruptedException {
        return ControlLoopBench.controller(project, dir, windowSeconds, 2, "2s", null);
    }

    /** Where a controller started by {@link #controller} stores the sampled function's profiles. */
    static Path stacks(Path controllerDir) {
        return controllerDir.resolve("stacks").resolve(GoTwins.FUNCTION);
    }

    private static long profiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".perf")).count();
        }
    }

    static double pct(long part, long whole) {
        return 100.0 * part / whole;
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String loadAverage() {
        try {
            return String.join(
                    " ",
                    Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
