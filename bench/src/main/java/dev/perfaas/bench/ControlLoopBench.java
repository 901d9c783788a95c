package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.FunctionProcess;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Json;
import dev.perfaas.launcher.LoadDriver;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real loop: an example (pi by default) under steady closed-loop load with a real sampling
 * engine (--engine: async, the default, perf or jfr) and the real controller at a chosen maxOverhead, alternated phase by phase (A/B/A/B) with the same
 * handler on the same runtime untraced (hook disabled, no -XX:+PreserveFramePointer). Prints each
 * phase's throughput, p50/p99 latency and CPU per request (the function's process tree, perf
 * included), the change of B against the mean of the A phases around it, and what the controller
 * reports: overhead pooled over the control steps of the B phase, sample ratio, fraction,
 * frequency and which loop is in control. CPU per request is the measured counterpart of the
 * reported overhead (both are CPU); throughput on a 2-core machine with one client is not, because
 * perf's CPU runs on the idle core. With --always-on, B runs the hook and frame pointers but reaches no controller,
 * so traces nothing (fraction 0): the cost paid on every invocation, traced or not. With --twin, B is
 * started exactly as A (hook disabled): what the harness reads between two JVMs of one function.
 *
 * <p>With --paired, A and B run at the same time instead, and only CPU per request is compared
 * (see {@link #paired}), in a crossover of the two CPUs ({@link CpuCrossover}) unless --no-crossover.
 *
 * <p>With --swapped, both JVMs run perfaas and each is traced in turn ({@link #swapped}), with the
 * crossover unless --no-crossover.
 *
 * <p>Args: {@code [--quick] [--root DIR] [--function NAME] [--engine NAME] [--always-on | --twin] [--paired | --swapped] [--no-crossover] [--max-overhead X]
 * [--window-seconds N] [--refresh-seconds N] [--phase-seconds N] [--rounds N]}. The policy refresh is 2 s unless
 * told (10 s in production): a short one lets the loop move quickly, at a poll's CPU every 2 s.
 * --quick is a smoke run of the harness for CI: it asserts nothing about timings.
 */
public final class ControlLoopBench {
    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.contains("--quick");
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        double maxOverhead = Double.parseDouble(Flags.take(args, "--max-overhead", "0.02"));
        // Production windows (60 s) by default: each profile cut costs perf ~0.2 s of CPU.
        int windowSeconds = Integer.parseInt(Flags.take(args, "--window-seconds", quick ? "2" : "60"));
        int refreshSeconds = Integer.parseInt(Flags.take(args, "--refresh-seconds", "2"));
        int phaseSeconds = Integer.parseInt(Flags.take(args, "--phase-seconds", quick ? "5" : "90"));
        int rounds = Integer.parseInt(Flags.take(args, "--rounds", quick ? "2" : "3"));
        Path work = Files.createTempDirectory("perfaas-loop-bench");
        String function = Flags.take(args, "--function", "pi");
        boolean alwaysOn = args.contains("--always-on");
        boolean twin = args.contains("--twin");
        boolean unreported = alwaysOn || twin; // B sends no reports: nothing to set against the measurement
        Map<String, String> plainEnv = Map.of("PERFAAS_DISABLED", "true", "JAVA_OPTS", "-XX:-PreserveFramePointer");
        boolean paired = args.contains("--paired");
        String engine = Flags.take(args, "--engine", "async");
        Path handler = project.root().resolve("examples").resolve(function);

        try {
            if (args.contains("--swapped")) {
                String twinName = function + "-twin";
                try (ControllerProcess controller =
                                controller(project, work, windowSeconds, refreshSeconds, "2s", engine);
                        PolicySwitch switchX = new PolicySwitch(controller.url);
                        PolicySwitch switchY = new PolicySwitch(controller.url);
                        FunctionProcess x = FunctionProcess.start(
                                function,
                                FunctionBuild.link(project, handler, work.resolve("x")),
                                Http.freePort(),
                                switchX.url,
                                BenchArgs.engineEnv(engine),
                                work.resolve(function + ".log"));
                        FunctionProcess y = FunctionProcess.start(
                                twinName,
                                FunctionBuild.link(project, handler, work.resolve("y")),
                                Http.freePort(),
                                switchY.url,
                                BenchArgs.engineEnv(engine),
                                work.resolve(twinName + ".log"))) {
                    putTargets(controller.url, function, maxOverhead);
                    putTargets(controller.url, twinName, maxOverhead);
                    System.out.printf(
                            "control loop bench: %s and %s, both with perfaas, engine %s, maxOverhead %.3f, %d s windows,"
                                    + " %d rounds of %d s: in each, X traced and Y not, then Y traced and X not%n",
                            function, twinName, engine, maxOverhead, windowSeconds, rounds, phaseSeconds);
                    int warmUp = Math.min(phaseSeconds, 30);
                    run(x, warmUp);
                    run(y, warmUp);
                    swapped(
                            controller.url,
                            x,
                            switchX,
                            y,
                            switchY,
                            refreshSeconds,
                            phaseSeconds,
                            rounds,
                            crossover(args, "X and Y", "quarter"));
                }
                return;
            }
            try (ControllerProcess controller = controller(project, work, windowSeconds, refreshSeconds, "2s", engine);
                    FunctionProcess traced = FunctionProcess.start(
                            function,
                            FunctionBuild.link(project, handler, work.resolve("b")),
                            Http.freePort(),
                            unreported ? URI.create("http://127.0.0.1:" + Http.freePort()) : controller.url,
                            twin ? plainEnv : BenchArgs.engineEnv(engine),
                            work.resolve(function + ".log"));
                    FunctionProcess plain = FunctionProcess.start(
                            function + "-plain",
                            FunctionBuild.link(project, handler, work.resolve("a")),
                            Http.freePort(),
                            controller.url,
                            plainEnv,
                            work.resolve(function + "-plain.log"))) {
                if (!unreported) {
                    putTargets(controller.url, function, maxOverhead);
                }
                System.out.printf(
                        "control loop bench: %s, engine %s, %s, %d s windows, %d rounds of %d s %s, 1 closed-loop client per side%n",
                        function,
                        engine,
                        twin
                                ? "twin (B started as A: the harness's own spread between two JVMs)"
                                : alwaysOn
                                        ? "always-on cost (hook and frame pointers, fraction 0)"
                                        : String.format("maxOverhead %.3f", maxOverhead),
                        windowSeconds,
                        rounds,
                        phaseSeconds,
                        paired ? "with both sides at once" : "per side, alternated");
                int warmUp = Math.min(phaseSeconds, 30);
                run(plain, warmUp); // warm both JITs before measuring
                run(traced, warmUp);
                if (paired) {
                    paired(
                            new Sides(controller.url, function, plain, traced),
                            phaseSeconds,
                            rounds,
                            unreported,
                            crossover(args, "A and B", "half"));
                } else {
                    alternated(
                            new Sides(controller.url, function, plain, traced),
                            phaseSeconds,
                            rounds,
                            unreported,
                            maxOverhead);
                }
            }
        } finally {
            FunctionBuild.deleteTree(work); // the functions' links, logs and profiles
        }
    }

    /** Whether the sides cross over the two CPUs (unless --no-crossover or taskset is missing), as printed. */
    private static boolean crossover(List<String> args, String sides, String every) {
        String no = args.contains("--no-crossover") ? "--no-crossover" : CpuCrossover.unavailable();
        System.out.println(
                no == null
                        ? "crossover: " + sides + " pinned to CPUs 0 and 1, swapped every " + every + " round"
                        : "no crossover (" + no + "): each side runs where the scheduler puts it");
        return no == null;
    }

    /** A and B in turn, phaseSeconds each, B against the mean of the A phases around it. */
    private static void alternated(Sides sides, int phaseSeconds, int rounds, boolean unreported, double maxOverhead)
            throws Exception {
        System.out.printf(
                "%5s %8s %8s %7s %13s %13s %15s %8s %9s %7s %8s %5s %s%n",
                "round",
                "A req/s",
                "B req/s",
                "B loss",
                "p50 A/B ms",
                "p99 A/B ms",
                "CPU/req A/B ms",
                "CPU cost",
                "reported",
                "samples",
                "fraction",
                "Hz",
                "in control");
        List<Phase> a = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> cpuCosts = new ArrayList<>();
        List<Double> reported = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        a.add(run(sides.plain(), phaseSeconds));
        for (int r = 1; r <= rounds; r++) {
            long bStart = System.currentTimeMillis();
            Phase b = run(sides.traced(), phaseSeconds);
            Map<String, Object> s = state(sides.controller(), sides.function()); // as the loaded phase left it
            double overhead = unreported ? Double.NaN : pooledOverhead(sides.controller(), sides.function(), bStart);
            a.add(run(sides.plain(), phaseSeconds));
            Phase before = a.get(a.size() - 2);
            Phase after = a.get(a.size() - 1);
            double loss = 1 - b.rps / ((before.rps + after.rps) / 2);
            double p50 = (before.p50 + after.p50) / 2;
            double p99 = (before.p99 + after.p99) / 2;
            double cpu = (before.cpuMsPerRequest + after.cpuMsPerRequest) / 2;
            double cpuCost = b.cpuMsPerRequest / cpu - 1;
            losses.add(loss);
            cpuCosts.add(cpuCost);
            if (!unreported) {
                reported.add(overhead);
            }
            p50s.add(b.p50 / p50 - 1);
            p99s.add(b.p99 / p99 - 1);
            System.out.printf(
                    "%5d %8.1f %8.1f %6.2f%% %6.1f/%6.1f %6.1f/%6.1f %7.2f/%7.2f %7.2f%% %9s %7s %8s %5s %s%n",
                    r,
                    (before.rps + after.rps) / 2,
                    b.rps,
                    100 * loss,
                    p50 / 1e6,
                    b.p50 / 1e6,
                    p99 / 1e6,
                    b.p99 / 1e6,
                    cpu,
                    b.cpuMsPerRequest,
                    100 * cpuCost,
                    pct(overhead),
                    num(s.get("sampleRatio")),
                    num(s.get("fraction")),
                    num(s.get("frequencyHz")),
                    s.getOrDefault("inControl", "-"));
        }
        System.out.printf(
                "median of rounds: throughput loss %.2f%%, p50 %+.1f%%, p99 %+.1f%%, CPU per request %+.2f%% (B against the A phases around it)%s%n",
                100 * median(losses),
                100 * median(p50s),
                100 * median(p99s),
                100 * median(cpuCosts),
                unreported
                        ? ""
                        : String.format(
                                "; reported overhead %.2f%%, target maxOverhead %.1f%%",
                                100 * median(reported), 100 * maxOverhead));
    }

    /**
     * A and B under load at once, each with its own client, in rounds of phaseSeconds. Whatever the
     * machine does meanwhile (other tenants, clock changes: one side's CPU per request moved by 10 %
     * within minutes here) hits both sides alike, so B's extra CPU per request is resolved far
     * better than by alternated phases, except a difference between the CPUs they run on, which the
     * crossover cancels. Throughput is not compared: the sides share the cores.
     */
    private static void paired(Sides sides, int phaseSeconds, int rounds, boolean unreported, boolean crossover)
            throws Exception {
        System.out.printf(
                "%5s %15s %8s %9s %7s %8s %5s %10s %10s %s%n",
                "round",
                "CPU/req A/B ms",
                "CPU cost",
                "reported",
                "samples",
                "fraction",
                "Hz",
                "kept/s",
                "ms/sample",
                "in control");
        try (LoadDriver a = new LoadDriver(sides.plain().url.resolve("/"), 1);
                LoadDriver b = new LoadDriver(sides.traced().url.resolve("/"), 1)) {
            long start = System.currentTimeMillis();
            Tally firstA = Tally.of(sides.plain(), a);
            Tally firstB = Tally.of(sides.traced(), b);
            Tally lastA = firstA;
            Tally lastB = firstB;
            double[] roundPct = new double[rounds];
            // Crossover totals, by the CPU B ran on.
            Span[] onCpu = {Span.NONE, Span.NONE};
            for (int r = 1; r <= rounds; r++) {
                long roundStart = System.currentTimeMillis();
                double bOverA;
                Tally nowA;
                Tally nowB;
                if (crossover) {
                    Tally midA = lastA;
                    Tally midB = lastB;
                    double[] halves = new double[2];
                    for (int cpu = 0; cpu < 2; cpu++) {
                        CpuCrossover.pin(sides.traced().process.pid(), cpu);
                        CpuCrossover.pin(sides.plain().process.pid(), 1 - cpu);
                        Thread.sleep(phaseSeconds * 500L);
                        Tally endA = Tally.of(sides.plain(), a);
                        Tally endB = Tally.of(sides.traced(), b);
                        Span half = Span.between(midA, endA, midB, endB);
                        halves[cpu] = half.bOverA();
                        onCpu[cpu] = onCpu[cpu].plus(half);
                        midA = endA;
                        midB = endB;
                    }
                    nowA = midA;
                    nowB = midB;
                    bOverA = CpuCrossover.ratio(halves[0], halves[1]);
                } else {
                    Thread.sleep(phaseSeconds * 1000L);
                    nowA = Tally.of(sides.plain(), a);
                    nowB = Tally.of(sides.traced(), b);
                    bOverA = Span.between(lastA, nowA, lastB, nowB).bOverA();
                }
                double cpuA = nowA.cpuMsPerRequestSince(lastA);
                double cpuB = nowB.cpuMsPerRequestSince(lastB);
                Map<String, Object> s = state(sides.controller(), sides.function());
                Pooled p = unreported ? null : pooled(sides.controller(), sides.function(), roundStart);
                roundPct[r - 1] = 100 * (bOverA - 1);
                System.out.printf(
                        "%5d %7.2f/%7.2f %7.2f%% %9s %7s %8s %5s %10s %10s %s%n",
                        r,
                        cpuA,
                        cpuB,
                        roundPct[r - 1],
                        unreported ? "-" : pct(p.overhead()),
                        num(s.get("sampleRatio")),
                        num(s.get("fraction")),
                        num(s.get("frequencyHz")),
                        unreported ? "-" : String.format("%.1f", p.samples() / (double) phaseSeconds),
                        unreported
                                ? "-"
                                : perSample(cpuA * (bOverA - 1), nowB.requests() - lastB.requests(), p.samples()),
                        s.getOrDefault("inControl", "-"));
                lastA = nowA;
                lastB = nowB;
            }
            double cpuA = lastA.cpuMsPerRequestSince(firstA);
            double cpuB = lastB.cpuMsPerRequestSince(firstB);
            double bOverA = crossover
                    ? CpuCrossover.ratio(onCpu[0].bOverA(), onCpu[1].bOverA())
                    : Span.between(firstA, lastA, firstB, lastB).bOverA();
            Pooled p = unreported ? null : pooled(sides.controller(), sides.function(), start);
            System.out.printf(
                    "pooled over %d rounds: CPU per request %+.2f%% (B over A, run side by side%s; the rounds'"
                            + " standard error %.2f points)%s%n",
                    rounds,
                    100 * (bOverA - 1),
                    crossover ? ", each half of each round on either CPU" : "",
                    standardError(roundPct),
                    unreported
                            ? ""
                            : "; reported overhead " + pct(p.overhead()) + "; " + p.samples()
                                    + " samples kept, the function's extra CPU per kept sample "
                                    + perSample(cpuA * (bOverA - 1), lastB.requests() - firstB.requests(), p.samples())
                                    + " ms (reported tracer CPU per kept sample "
                                    + String.format("%.3f", 1000 * p.tracerCpuSeconds() / p.samples()) + " ms)");
            if (!unreported) {
                // The same split by thread: what runs outside the request threads (the hook's threads,
                // its engine's, the JIT, GC) is measured far more sharply than a whole request's CPU.
                double requestA = lastA.requestThreadsMsPerRequestSince(firstA);
                double requestB = lastB.requestThreadsMsPerRequestSince(firstB);
                System.out.printf(
                        "by thread, B over A as a share of A's CPU per request: request threads %+.2f%% (reported:"
                                + " the traced invocations' extra %.2f%%), all other threads %+.2f%% (reported: the"
                                + " hook's threads, engine and JIT %.2f%%)%n",
                        100 * (requestB - requestA) / cpuA,
                        100 * (p.overhead() - p.fixedOverhead()),
                        100 * ((cpuB - requestB) - (cpuA - requestA)) / cpuA,
                        100 * p.fixedOverhead());
            }
        }
    }

    /**
     * Rounds of swapping before the counted ones: the JIT compiles both states' paths in both JVMs, and
     * the request method's C2 compile (~5 minutes in) moves a pair's offset.
     */
    private static final int SWAPPED_WARM_UP_ROUNDS = 2;

    /**
     * Both JVMs with perfaas, and in each round X traced while Y is not, then Y traced while X is not
     * ({@link PolicySwitch}), each half on either CPU unless no crossover. Each JVM is its own control: the offset two JVMs
     * carry for minutes (the --twin runs) cancels, and tracing's cost is sqrt((X/Y while X traces) / (X/Y
     * while Y traces)) - 1 of CPU per request. What both pay with tracing off (the hook's fast path, its
     * policy polls and window closes) cancels as well and is not in the figure. The first seconds after
     * each switch (two policy refreshes) are not counted.
     */
    private static void swapped(
            URI controller,
            FunctionProcess x,
            PolicySwitch switchX,
            FunctionProcess y,
            PolicySwitch switchY,
            int refreshSeconds,
            int phaseSeconds,
            int rounds,
            boolean crossover)
            throws Exception {
        long settleMillis = 2_000L * refreshSeconds + 1_000;
        long quarterMillis = phaseSeconds * 250L;
        System.out.printf(
                "%5s %14s %14s %8s %9s %9s %16s %16s%n",
                "round",
                "X/Y, X traced",
                "X/Y, Y traced",
                "cost",
                "reported",
                "kept/s",
                "X fraction @ Hz",
                "Y fraction @ Hz");
        try (LoadDriver ly = new LoadDriver(y.url.resolve("/"), 1);
                LoadDriver lx = new LoadDriver(x.url.resolve("/"), 1)) {
            long start = System.currentTimeMillis();
            double[] roundPct = new double[rounds];
            // By which side traced, then by the CPU X ran on; A is Y, B is X.
            Span[][] all = {{Span.NONE, Span.NONE}, {Span.NONE, Span.NONE}};
            Span[][] request = {{Span.NONE, Span.NONE}, {Span.NONE, Span.NONE}};
            for (int r = 1 - SWAPPED_WARM_UP_ROUNDS; r <= rounds; r++) {
                long roundStart = System.currentTimeMillis();
                double[] ratio = new double[2];
                for (int half = 0; half < 2; half++) {
                    // X first in odd rounds, Y first in even ones: a drift within a round cancels over two.
                    int traced = Math.floorMod(r, 2) == 1 ? half : 1 - half;
                    switchX.on(traced == 0);
                    switchY.on(traced == 1);
                    double[] halves = new double[2];
                    for (int cpu = 0; cpu < 2; cpu++) {
                        if (crossover) {
                            CpuCrossover.pin(x.process.pid(), cpu);
                            CpuCrossover.pin(y.process.pid(), 1 - cpu);
                        }
                        if (cpu == 0) {
                            Thread.sleep(settleMillis);
                        }
                        Tally fromY = Tally.of(y, ly);
                        Tally fromX = Tally.of(x, lx);
                        Thread.sleep(quarterMillis);
                        Tally toY = Tally.of(y, ly);
                        Tally toX = Tally.of(x, lx);
                        Span quarter = Span.between(fromY, toY, fromX, toX);
                        halves[cpu] = quarter.bOverA();
                        if (r >= 1) {
                            all[traced][cpu] = all[traced][cpu].plus(quarter);
                            request[traced][cpu] =
                                    request[traced][cpu].plus(Span.requestThreadsBetween(fromY, toY, fromX, toX));
                        }
                    }
                    ratio[traced] = CpuCrossover.ratio(halves[0], halves[1]);
                }
                double roundCost = 100 * (Math.sqrt(ratio[0] / ratio[1]) - 1);
                if (r < 1) {
                    System.out.printf(
                            "%5s %14.4f %14.4f %7.2f%% (warm-up, not counted)%n", "-", ratio[0], ratio[1], roundCost);
                    start = System.currentTimeMillis();
                    continue;
                }
                roundPct[r - 1] = roundCost;
                Pooled p = pooled(controller, x.name, roundStart).plus(pooled(controller, y.name, roundStart));
                Map<String, Object> sx = state(controller, x.name);
                Map<String, Object> sy = state(controller, y.name);
                System.out.printf(
                        "%5d %14.4f %14.4f %7.2f%% %9s %9s %16s %16s%n",
                        r,
                        ratio[0],
                        ratio[1],
                        roundPct[r - 1],
                        pct(p.overhead()),
                        // Each side traces half the round: the two sides' samples over the round are one
                        // side's rate while traced.
                        String.format("%.1f", p.samples() * 1000.0 / (System.currentTimeMillis() - roundStart)),
                        num(sx.get("fraction")) + " @ " + num(sx.get("frequencyHz")),
                        num(sy.get("fraction")) + " @ " + num(sy.get("frequencyHz")));
            }
            double cost = swappedCost(all);
            double requestCost = swappedCost(request);
            // The request threads' cost as a share of the whole CPU per request, as the report gives it.
            Span total = all[0][0].plus(all[0][1]).plus(all[1][0]).plus(all[1][1]);
            Span requestTotal =
                    request[0][0].plus(request[0][1]).plus(request[1][0]).plus(request[1][1]);
            double requestShare = (requestTotal.cpuMillisA() + requestTotal.cpuMillisB())
                    / (double) (total.cpuMillisA() + total.cpuMillisB());
            Pooled p = pooled(controller, x.name, start).plus(pooled(controller, y.name, start));
            System.out.printf(
                    "pooled over %d rounds: tracing's cost %+.2f%% of CPU per request (the rounds' standard error %.2f"
                            + " points); reported overhead %s, %d samples kept (%.1f/s a side while traced)%n",
                    rounds,
                    100 * cost,
                    standardError(roundPct),
                    pct(p.overhead()),
                    p.samples(),
                    p.samples() * 1000.0 / (System.currentTimeMillis() - start));
            System.out.printf(
                    "by thread: request threads %+.2f%% (reported: the traced invocations' extra %.2f%%), all other"
                            + " threads %+.2f%% (reported: the hook's threads, engine and JIT %.2f%%)%n",
                    100 * requestCost * requestShare,
                    100 * (p.overhead() - p.fixedOverhead()),
                    100 * (cost - requestCost * requestShare),
                    100 * p.fixedOverhead());
        }
    }

    /** sqrt((X/Y while X traced) / (X/Y while Y traced)) - 1 over spans by [traced side][CPU], each crossed over. */
    private static double swappedCost(Span[][] spans) {
        double xTraced = CpuCrossover.ratio(spans[0][0].bOverA(), spans[0][1].bOverA());
        double yTraced = CpuCrossover.ratio(spans[1][0].bOverA(), spans[1][1].bOverA());
        return Math.sqrt(xTraced / yTraced) - 1;
    }

    /** The standard error of the mean of {@code xs}: how far apart two runs' pooled figures may fall by chance. */
    static double standardError(double[] xs) {
        if (xs.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double x : xs) {
            mean += x / xs.length;
        }
        double squares = 0;
        for (double x : xs) {
            squares += (x - mean) * (x - mean);
        }
        return Math.sqrt(squares / (xs.length - 1) / xs.length);
    }

    /**
     * CPU per kept sample (issue 22's headline): the traced side's extra CPU per request times its
     * requests, over the samples the controller kept meanwhile.
     */
    private static String perSample(double extraMsPerRequest, long requests, long samples) {
        return samples > 0 ? String.format("%.3f", extraMsPerRequest * requests / samples) : "-";
    }

    /** The function without the hook (A) and with it (B), and the controller B reports to. */
    private record Sides(URI controller, String function, FunctionProcess plain, FunctionProcess traced) {}

    private record Phase(double rps, double p50, double p99, double cpuMsPerRequest) {}

    /** Both sides' CPU and requests over the same stretch of time. */
    private record Span(long cpuMillisA, long requestsA, long cpuMillisB, long requestsB) {
        static final Span NONE = new Span(0, 0, 0, 0);

        static Span between(Tally fromA, Tally toA, Tally fromB, Tally toB) {
            return new Span(
                    toA.cpuMillis() - fromA.cpuMillis(),
                    toA.requests() - fromA.requests(),
                    toB.cpuMillis() - fromB.cpuMillis(),
                    toB.requests() - fromB.requests());
        }

        /** The same, of the runtime's request threads only. */
        static Span requestThreadsBetween(Tally fromA, Tally toA, Tally fromB, Tally toB) {
            return new Span(
                    toA.requestThreadsCpuMillis() - fromA.requestThreadsCpuMillis(),
                    toA.requests() - fromA.requests(),
                    toB.requestThreadsCpuMillis() - fromB.requestThreadsCpuMillis(),
                    toB.requests() - fromB.requests());
        }

        Span plus(Span o) {
            return new Span(
                    cpuMillisA + o.cpuMillisA,
                    requestsA + o.requestsA,
                    cpuMillisB + o.cpuMillisB,
                    requestsB + o.requestsB);
        }

        /** B's CPU per request over A's. */
        double bOverA() {
            return (cpuMillisB / (double) requestsB) / (cpuMillisA / (double) requestsA);
        }
    }

    /**
     * Requests a side has answered, the CPU its process tree has used and the part of it on the
     * runtime's request threads, at one moment.
     */
    private record Tally(long requests, long cpuMillis, long requestThreadsCpuMillis) {
        static Tally of(FunctionProcess f, LoadDriver load) {
            long pid = f.process.pid();
            return new Tally(
                    load.ok.sum(), ProcStat.treeCpuMillis(pid), ProcStat.threadsCpuMillis(pid, "perfaas-request"));
        }

        double cpuMsPerRequestSince(Tally earlier) {
            return (cpuMillis - earlier.cpuMillis) / (double) (requests - earlier.requests);
        }

        double requestThreadsMsPerRequestSince(Tally earlier) {
            return (requestThreadsCpuMillis - earlier.requestThreadsCpuMillis) / (double) (requests - earlier.requests);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static Phase run(FunctionProcess f, int seconds) throws Exception {
        long cpu0 = ProcStat.treeCpuMillis(f.process.pid());
        LoadDriver load = new LoadDriver(f.url.resolve("/"), 1);
        Thread.sleep(seconds * 1000L);
        load.close();
        long cpu = ProcStat.treeCpuMillis(f.process.pid()) - cpu0;
        long[] latencies = load.latenciesNanos();
        if (latencies.length == 0) {
            throw new IllegalStateException(f.name + " answered no request: " + f.logTail());
        }
        return new Phase(
                load.ok.sum() / (double) seconds,
                latencies[latencies.length / 2],
                latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))],
                cpu / (double) latencies.length);
    }

    /** What the controller measured over the control steps since some moment, summed. */
    private record Pooled(
            double tracerCpuSeconds, double fixedTracerCpuSeconds, double functionCpuSeconds, long samples) {
        double overhead() {
            return functionCpuSeconds > 0 ? tracerCpuSeconds / functionCpuSeconds : Double.NaN;
        }

        /** The hook's threads, its engine's and the JIT it causes (the rest is the traced invocations' extra). */
        double fixedOverhead() {
            return functionCpuSeconds > 0 ? fixedTracerCpuSeconds / functionCpuSeconds : Double.NaN;
        }

        /** Two functions' steps pooled. */
        Pooled plus(Pooled o) {
            return new Pooled(
                    tracerCpuSeconds + o.tracerCpuSeconds,
                    fixedTracerCpuSeconds + o.fixedTracerCpuSeconds,
                    functionCpuSeconds + o.functionCpuSeconds,
                    samples + o.samples);
        }
    }

    @SuppressWarnings("unchecked")
    private static Pooled pooled(URI controller, String fn, long sinceMillis) throws Exception {
        double tracer = 0;
        double fixed = 0;
        double function = 0;
        long samples = 0;
        for (Object o : history(controller, fn)) {
            Map<String, Object> step = (Map<String, Object>) o;
            if (((Number) step.get("timeMillis")).longValue() < sinceMillis || step.get("measurement") == null) {
                continue;
            }
            Map<String, Object> m = (Map<String, Object>) step.get("measurement");
            tracer += ((Number) m.get("tracerCpuSeconds")).doubleValue();
            fixed += ((Number) m.get("fixedTracerCpuSeconds")).doubleValue();
            function += ((Number) m.get("functionCpuSeconds")).doubleValue();
            samples += ((Number) m.get("samples")).longValue();
        }
        return new Pooled(tracer, fixed, function, samples);
    }

    /** Tracer CPU over function CPU, summed over the control steps since sinceMillis (what the controller measured). */
    private static double pooledOverhead(URI controller, String fn, long sinceMillis) throws Exception {
        return pooled(controller, fn, sinceMillis).overhead();
    }

    /** The last control steps of a function, oldest first (GET /v1/functions/{fn}); none before its first report. */
    @SuppressWarnings("unchecked")
    public static List<Object> history(URI controller, String fn) throws Exception {
        HttpResponse<String> r = Http.get(controller.resolve("/v1/functions/" + fn));
        if (r.statusCode() == 404) {
            return List.of();
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET /v1/functions/" + fn + " answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Object> detail = (Map<String, Object>) Json.parse(r.body());
        return (List<Object>) detail.getOrDefault("history", List.of());
    }

    /** The sample target every loop bench sets. */
    public static final int SAMPLES_PER_MINUTE = 600;

    /**
     * A controller for a loop bench, in {@code dir}: profiles in stacks/, state in data/, its log beside
     * them; {@code engine} null leaves the policy's engine at its default.
     */
    public static ControllerProcess controller(
            Project project, Path dir, int windowSeconds, int refreshSeconds, String period, String engine)
            throws IOException, InterruptedException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "perfaas.policy.window-seconds", Integer.toString(windowSeconds),
                "perfaas.policy.refresh-seconds", Integer.toString(refreshSeconds),
                "perfaas.control.period", period,
                "perfaas.data-dir", dir.resolve("data").toString()));
        if (engine != null) {
            settings.put("perfaas.policy.engine", engine);
        }
        Files.createDirectories(dir);
        return ControllerProcess.start(
                project, Http.freePort(), dir.resolve("stacks"), settings, dir.resolve("controller.log"));
    }

    public static void putTargets(URI controller, String fn, double maxOverhead) throws Exception {
        putTargets(
                controller,
                fn,
                "{\"maxOverhead\":" + maxOverhead + ",\"samplesPerMinute\":" + SAMPLES_PER_MINUTE
                        + ",\"minFrequencyHz\":19," + "\"maxFrequencyHz\":997,\"minFraction\":0.001}");
    }

    /** PUT /v1/targets/{fn} with {@code body}. */
    public static void putTargets(URI controller, String fn, String body) throws Exception {
        HttpResponse<String> r = Http.send("PUT", controller.resolve("/v1/targets/" + fn), body);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT targets answered " + r.statusCode() + ": " + r.body());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(URI controller, String fn) throws Exception {
        for (Object o : (List<?>) Http.getJson(controller.resolve("/v1/functions"))) {
            Map<String, Object> f = (Map<String, Object>) o;
            if (fn.equals(f.get("function"))) {
                return f;
            }
        }
        return Map.of();
    }

    private static String pct(Object v) {
        return v instanceof Double d && !d.isNaN() ? String.format("%.2f%%", 100 * d) : "-";
    }

    private static String num(Object v) {
        return v instanceof Double d
                ? (d == Math.rint(d) && d > 10 ? String.format("%.0f", d) : String.format("%.3f", d))
                : "-";
    }
}
