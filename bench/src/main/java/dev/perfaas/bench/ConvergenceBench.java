package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.FunctionProcess;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.LoadDriver;
import dev.perfaas.launcher.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convergence in the real loop: a fresh controller and a cold function (pi by default) under one
 * closed-loop client from its first request; each control step's measured sample ratio, overhead
 * and policy, and the first step from which the sample ratio stays in band. The law steps once per
 * batch of window reports, so a step is a window here. Each run starts from nothing (new
 * controller state, new function process).
 *
 * <p>"In band": the measured ratio of one step is a count (a few hundred samples at most), and a
 * light function's samples come in bursts (the hook carries a profile over windows until it is
 * worth cutting; those steps report samples pending). So a run has converged at the first step k
 * from which the samples pooled over steps k..i are within +-25 % of the target for every later
 * step i that brought its samples (none pending).
 *
 * <p>Args: {@code [--quick] [--root DIR] [--function NAME] [--engine NAME] [--max-overhead X] [--window-seconds N]
 * [--refresh-seconds N] [--steps N] [--runs N]}; the policy refresh defaults to production's 10 s (each refresh is an
 * HTTP request of the hook's, part of the tracer's cost). --quick is a smoke run for CI: it asserts nothing about timings.
 */
public final class ConvergenceBench {
    private static final double BAND = 0.25;

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.contains("--quick");
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        String function = Flags.take(args, "--function", "pi");
        String engine = Flags.take(args, "--engine", "async");
        double maxOverhead = Double.parseDouble(Flags.take(args, "--max-overhead", "0.05"));
        int windowSeconds = Integer.parseInt(Flags.take(args, "--window-seconds", quick ? "2" : "10"));
        int refreshSeconds = Integer.parseInt(Flags.take(args, "--refresh-seconds", quick ? "1" : "10"));
        int steps = Integer.parseInt(Flags.take(args, "--steps", quick ? "2" : "14"));
        int runs = Integer.parseInt(Flags.take(args, "--runs", quick ? "1" : "3"));
        System.out.printf(
                "convergence bench: %s from a cold start, engine %s, maxOverhead %.3f, %d samples/min, %d s windows,"
                        + " policy refresh %d s, %d steps, %d runs%n",
                function,
                engine,
                maxOverhead,
                ControlLoopBench.SAMPLES_PER_MINUTE,
                windowSeconds,
                refreshSeconds,
                steps,
                runs);
        List<Integer> converged = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Integer at = run(project, function, engine, maxOverhead, windowSeconds, refreshSeconds, steps);
            System.out.printf(
                    "run %d: %s%n",
                    run, at == null ? "not in band within " + steps + " steps" : "in band from step " + at);
            if (at != null) {
                converged.add(at);
            }
        }
        converged.sort(Integer::compare);
        System.out.printf(
                "converged in %d of %d runs; steps to the band: %s (a step is one %d s window)%n",
                converged.size(), runs, converged, windowSeconds);
    }

    /** One run from nothing; the first step from which the pooled sample ratio stays in band, or null. */
    private static Integer run(
            Project project,
            String function,
            String engine,
            double maxOverhead,
            int windowSeconds,
            int refreshSeconds,
            int steps)
            throws Exception {
        Path work = Files.createTempDirectory("perfaas-converge");
        try {
            try (ControllerProcess controller =
                    ControlLoopBench.controller(project, work, windowSeconds, refreshSeconds, "1s", engine)) {
                ControlLoopBench.putTargets(controller.url, function, maxOverhead);
                Path handler = project.root().resolve("examples").resolve(function);
                try (FunctionProcess f = FunctionProcess.start(
                                function,
                                FunctionBuild.link(project, handler, work.resolve("fn")),
                                Http.freePort(),
                                controller.url,
                                BenchArgs.engineEnv(engine),
                                work.resolve(function + ".log"));
                        LoadDriver load = new LoadDriver(f.url.resolve("/"), 1)) {
                    Map<Long, Map<String, Object>> seen = new LinkedHashMap<>();
                    long deadline = System.nanoTime() + (steps + 4L) * windowSeconds * 3_000_000_000L;
                    while (measured(seen) < steps && System.nanoTime() < deadline) {
                        Thread.sleep(1000);
                        for (Object o : ControlLoopBench.history(controller.url, function)) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> step = (Map<String, Object>) o;
                            seen.putIfAbsent(((Number) step.get("timeMillis")).longValue(), step);
                        }
                    }
                    return report(new ArrayList<>(seen.values()));
                }
            } finally {
                FunctionBuild.deleteTree(work);
            }
        } finally {
            FunctionBuild.deleteTree(work);
        }
    }

    private static long measured(Map<Long, Map<String, Object>> steps) {
        return steps.values().stream().filter(s -> s.get("sampleRatio") != null).count();
    }

    /** One control step's samples against its target; pending when its samples come with a later step. */
    private record Step(double samples, double target, boolean pending) {}

    @SuppressWarnings("unchecked")
    private static Integer report(List<Map<String, Object>> history) {
        System.out.printf(
                "%5s %8s %8s %8s %9s %5s %s%n",
                "step", "samples", "pending", "overhead", "fraction", "Hz", "in control");
        List<Step> steps = new ArrayList<>();
        for (Map<String, Object> step : history) {
            if (step.get("sampleRatio") == null) {
                continue; // the prior, or an idle step
            }
            Map<String, Object> m = (Map<String, Object>) step.get("measurement");
            Step s = new Step(
                    ((Number) m.get("samples")).doubleValue(),
                    ControlLoopBench.SAMPLES_PER_MINUTE * ((Number) m.get("periodSeconds")).doubleValue() / 60,
                    ((Number) m.get("tracedAwaitingSamples")).longValue() > 0);
            steps.add(s);
            System.out.printf(
                    "%5d %8.3f %8s %7.2f%% %9.4f %5d %s%n",
                    steps.size(),
                    s.samples() / s.target(),
                    s.pending() ? "yes" : "",
                    100 * ((Number) step.get("overhead")).doubleValue(),
                    ((Number) step.get("fraction")).doubleValue(),
                    ((Number) step.get("frequencyHz")).intValue(),
                    step.get("inControl"));
        }
        for (int from = 0; from < steps.size(); from++) {
            boolean stays = true;
            double samples = 0;
            double target = 0;
            for (int i = from; i < steps.size() && stays; i++) {
                samples += steps.get(i).samples();
                target += steps.get(i).target();
                stays = steps.get(i).pending() || Math.abs(samples / target - 1) <= BAND;
            }
            if (stays) {
                return from + 1;
            }
        }
        return null;
    }
}
