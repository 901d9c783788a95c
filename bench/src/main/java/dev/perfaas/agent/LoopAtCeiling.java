package dev.perfaas.agent;

import dev.perfaas.bench.ControlLoopBench;
import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Project;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real loop at a 1 % ceiling: the real controller with ControlLoopBench's targets at
 * maxOverhead 0.01 (600 samples/min, 19-997 Hz) and the real agent on the sampled container, for
 * {@code steps} control periods (each one window of reports). Per period: samples kept against the
 * target, the overhead the loop saw, its fraction and frequency. Beside it, the overhead measured
 * from outside over the same time: the sampled function's added CPU per request against the twin
 * (phases without the agent before and after give the twins' own ratio) plus perf's CPU, as a share
 * of the function's CPU; the agent's JVM, which the loop does not charge to any function, apart.
 */
final class LoopAtCeiling {
    private LoopAtCeiling() {}

    @SuppressWarnings("unchecked")
    static void run(Project project, GoTwins twins, Path dir, int windowSeconds, int steps, int offSeconds)
            throws Exception {
        try (ControllerProcess controller = AgentCostBench.controller(project, dir, windowSeconds)) {
            ControlLoopBench.putTargets(controller.url, GoTwins.FUNCTION, 0.01);
            System.out.printf(
                    "%nloop: maxOverhead 1%%, %d samples/min, %d s windows, %d periods; %d s without the agent"
                            + " before and after%n",
                    ControlLoopBench.SAMPLES_PER_MINUTE, windowSeconds, steps, offSeconds);
            double before = AgentCostBench.offPhase(twins, offSeconds);
            Map<Long, Map<String, Object>> seen = new LinkedHashMap<>();
            GoTwins.Tally t0;
            GoTwins.Tally t1;
            AgentRun.Cpu cpu;
            String notes;
            try (AgentRun agent = AgentRun.start(project, controller.url, dir.resolve("agent"))) {
                // From the first perf on: the agent's JVM start-up is not what it costs a function.
                agent.awaitSampling(twins.sampled.cgroup.perfEvent(), 0, Duration.ofSeconds(60));
                t0 = twins.tally();
                AgentRun.Cpu c0 = agent.cpu();
                long deadline = System.nanoTime() + (steps + 3L) * windowSeconds * 2_000_000_000L;
                while (measured(seen) < steps && System.nanoTime() - deadline < 0) {
                    Thread.sleep(1000);
                    if (!agent.alive()) {
                        throw new IllegalStateException("the agent exited:\n" + agent.logTail());
                    }
                    for (Object o : ControlLoopBench.history(controller.url, GoTwins.FUNCTION)) {
                        Map<String, Object> step = (Map<String, Object>) o;
                        seen.putIfAbsent(((Number) step.get("timeMillis")).longValue(), step);
                    }
                }
                t1 = twins.tally();
                cpu = agent.cpu().minus(c0);
                notes = AgentCostBench.notes(twins, agent, twins.sampled.cgroup.perfEvent());
            }
            double after = AgentCostBench.offPhase(twins, offSeconds);

            System.out.printf(
                    "%6s %8s %8s %7s %8s %9s %9s %5s %s%n",
                    "period", "samples", "target", "ratio", "pending", "overhead", "fraction", "Hz", "in control");
            double samples = 0;
            double target = 0;
            double tracer = 0;
            double function = 0;
            List<String> ratios = new ArrayList<>();
            int period = 0;
            for (Map<String, Object> step : seen.values()) {
                if (step.get("sampleRatio") == null) {
                    continue; // the prior, or an idle step
                }
                Map<String, Object> m = (Map<String, Object>) step.get("measurement");
                double s = ((Number) m.get("samples")).doubleValue();
                double t = ControlLoopBench.SAMPLES_PER_MINUTE * ((Number) m.get("periodSeconds")).doubleValue() / 60;
                boolean pending = ((Number) m.get("tracedAwaitingSamples")).longValue() > 0;
                samples += s;
                target += t;
                tracer += ((Number) m.get("tracerCpuSeconds")).doubleValue();
                function += ((Number) m.get("functionCpuSeconds")).doubleValue();
                ratios.add(String.format("%.2f", s / t));
                System.out.printf(
                        "%6d %8.0f %8.0f %7.2f %8s %8.2f%% %9.4f %5d %s%n",
                        ++period,
                        s,
                        t,
                        s / t,
                        pending ? "yes" : "",
                        100 * ((Number) step.get("overhead")).doubleValue(),
                        ((Number) step.get("fraction")).doubleValue(),
                        ((Number) step.get("frequencyHz")).intValue(),
                        step.get("inControl"));
            }
            double added = t1.ratioSince(t0) / ((before + after) / 2) - 1;
            long fnCpu = t1.sampledCpuSince(t0);
            double perf = (cpu.perfRecord() + cpu.perfScript()) / (double) fnCpu;
            System.out.printf(
                    "loop: %d periods at maxOverhead 1%%: samples kept/target pooled %.2f (per period %s); overhead"
                            + " the loop sees %.2f%%; measured beside it %.2f%% (function %+.2f%% per request, B/A"
                            + " %.3f/%.3f/%.3f off/on/off; perf record %.2f%%, perf script %.2f%%); agent JVM %.2f%%"
                            + " more, not charged%s%n",
                    period,
                    samples / target,
                    ratios,
                    100 * tracer / function,
                    100 * (added + perf),
                    100 * added,
                    before,
                    t1.ratioSince(t0),
                    after,
                    AgentCostBench.pct(cpu.perfRecord(), fnCpu),
                    AgentCostBench.pct(cpu.perfScript(), fnCpu),
                    AgentCostBench.pct(cpu.jvm(), fnCpu),
                    notes.isEmpty() ? "" : "; " + notes);
        }
    }

    private static long measured(Map<Long, Map<String, Object>> steps) {
        return steps.values().stream().filter(s -> s.get("sampleRatio") != null).count();
    }
}
