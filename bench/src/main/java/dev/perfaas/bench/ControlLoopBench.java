package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.FunctionProcess;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.LoadDriver;
import dev.perfaas.launcher.Project;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real loop: the pi example under steady closed-loop load with real perf and the real
 * controller at a chosen maxOverhead, alternated phase by phase (A/B/A/B) with the same handler
 * on the same runtime untraced (hook disabled, no -XX:+PreserveFramePointer). Prints each
 * phase's throughput, the loss of B against the mean of the A phases around it, and what the
 * controller reports: overhead, sample ratio, fraction, frequency and which loop is in control.
 *
 * <p>Args: {@code [--quick] [--root DIR] [--max-overhead X] [--window-seconds N] [--phase-seconds N] [--rounds N]}.
 * --quick is a smoke run of the harness for CI: it asserts nothing about timings.
 */
public final class ControlLoopBench {
    public static void main(String[] argv) throws Exception {
        List<String> args = List.of(argv);
        boolean quick = args.contains("--quick");
        Project project = new Project(Path.of(opt(args, "--root", ".")));
        double maxOverhead = Double.parseDouble(opt(args, "--max-overhead", "0.02"));
        // Production windows (60 s) by default: each profile cut costs perf ~0.2 s of CPU.
        int windowSeconds = Integer.parseInt(opt(args, "--window-seconds", quick ? "2" : "60"));
        int phaseSeconds = Integer.parseInt(opt(args, "--phase-seconds", quick ? "5" : "90"));
        int rounds = Integer.parseInt(opt(args, "--rounds", quick ? "2" : "3"));
        Path work = Files.createTempDirectory("perfaas-loop-bench");
        Path pi = project.root().resolve("examples/pi");

        try (ControllerProcess controller = ControllerProcess.start(project, Http.freePort(), work.resolve("stacks"), Map.of(
                "perfaas.policy.window-seconds", Integer.toString(windowSeconds),
                "perfaas.policy.refresh-seconds", "2",
                "perfaas.control.period", "2s",
                "perfaas.data-dir", work.resolve("data").toString()), work.resolve("controller.log"));
             FunctionProcess traced = FunctionProcess.start("pi", FunctionBuild.link(project, pi, work.resolve("b")),
                     Http.freePort(), controller.url, Map.of(), work.resolve("pi.log"));
             FunctionProcess plain = FunctionProcess.start("pi-plain", FunctionBuild.link(project, pi, work.resolve("a")),
                     Http.freePort(), controller.url, Map.of("PERFAAS_DISABLED", "true", "JAVA_OPTS", "-XX:-PreserveFramePointer"),
                     work.resolve("pi-plain.log"))) {
            putTargets(controller.url, "pi", maxOverhead);
            System.out.printf("control loop bench: pi, maxOverhead %.3f, %d s windows, %d rounds of %d s per side, 1 closed-loop client%n",
                    maxOverhead, windowSeconds, rounds, phaseSeconds);
            int warmUp = Math.min(phaseSeconds, 30);
            run(plain, warmUp); // warm both JITs before measuring
            run(traced, warmUp);
            System.out.printf("%5s %10s %10s %8s %9s %9s %8s %6s %s%n",
                    "round", "A req/s", "B req/s", "B loss", "overhead", "samples", "fraction", "Hz", "in control");
            List<Double> a = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            a.add(run(plain, phaseSeconds));
            for (int r = 1; r <= rounds; r++) {
                double b = run(traced, phaseSeconds);
                Map<String, Object> s = state(controller.url, "pi"); // as the loaded phase left it
                a.add(run(plain, phaseSeconds));
                double baseline = (a.get(a.size() - 2) + a.get(a.size() - 1)) / 2;
                double loss = 1 - b / baseline;
                losses.add(loss);
                System.out.printf("%5d %10.1f %10.1f %7.2f%% %9s %9s %8s %6s %s%n", r, baseline, b, 100 * loss,
                        pct(s.get("overhead")), num(s.get("sampleRatio")), num(s.get("fraction")), num(s.get("frequencyHz")),
                        s.get("inControl"));
            }
            losses.sort(Double::compare);
            System.out.printf("median throughput loss %.2f%% (B against the A phases around it); target maxOverhead %.1f%%%n",
                    100 * losses.get(losses.size() / 2), 100 * maxOverhead);
        }
    }

    private static double run(FunctionProcess f, int seconds) throws Exception {
        LoadDriver load = new LoadDriver(f.url.resolve("/"), 1);
        Thread.sleep(seconds * 1000L);
        load.close();
        return load.ok.sum() / (double) seconds;
    }

    private static void putTargets(URI controller, String fn, double maxOverhead) throws Exception {
        String body = "{\"maxOverhead\":" + maxOverhead + ",\"samplesPerMinute\":600,\"minFrequencyHz\":19,"
                + "\"maxFrequencyHz\":997,\"minFraction\":0.001}";
        HttpResponse<String> r = Http.send("PUT", controller.resolve("/v1/targets/" + fn), body);
        if (r.statusCode() / 100 != 2) throw new IllegalStateException("PUT targets answered " + r.statusCode() + ": " + r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(URI controller, String fn) throws Exception {
        for (Object o : (List<?>) Http.getJson(controller.resolve("/v1/functions"))) {
            Map<String, Object> f = (Map<String, Object>) o;
            if (fn.equals(f.get("function"))) return f;
        }
        return Map.of();
    }

    private static String pct(Object v) {
        return v instanceof Double d ? String.format("%.2f%%", 100 * d) : "-";
    }

    private static String num(Object v) {
        return v instanceof Double d ? (d == Math.rint(d) && d > 10 ? String.format("%.0f", d) : String.format("%.3f", d)) : "-";
    }

    private static String opt(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
