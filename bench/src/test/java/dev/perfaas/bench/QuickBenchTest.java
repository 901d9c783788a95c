package dev.perfaas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.PerfCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./perfaas bench --quick} as CI's smoke check that every harness still runs end to end
 * (real perf and async-profiler, real controller, real functions). It asserts that each harness measured something,
 * never how fast: timings on a shared 2-core machine are for BENCHMARKS.md, not for a test. The perf
 * harnesses need a perf that can sample ({@link PerfCheck}): without one the run is skipped, loudly, and
 * with PERFAAS_REQUIRE_PERF=true (.ci/run sets it) that is a failure.
 */
class QuickBenchTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyHarnessRunsAndMeasures() throws Exception {
        assumePerf();
        String cp = ROOT.resolve("launcher/target/classes") + ":" + ROOT.resolve("launcher/target/lib") + "/*";
        Process p = new ProcessBuilder(
                        ControllerProcess.javaBin(),
                        "-cp",
                        cp,
                        "dev.perfaas.launcher.Main",
                        "--root",
                        ROOT.toString(),
                        "bench",
                        "--quick")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, p.waitFor(), "./perfaas bench --quick failed:\n" + out);

        assertTrue(out.contains("HookFastPathBench.untracedInvocation"), "JMH ran the hook's fast path");
        assertPositive(out, "enable\\+disable on the request path: median ([0-9.]+) us");
        assertPositive(out, "filter add\\+remove on the request path: median ([0-9.]+) us");
        assertPositive(
                out, "attribution at +0.5 ms per invocation: [0-9]+ of ([0-9]+) kept samples in the traced work");
        assertPositive(
                out,
                "rotation per profile: perf record [0-9.]+ ms \\+ perf script [0-9.]+ ms = ([0-9.]+) ms of CPU per cut");
        assertPositive(out, "as written:\\s+added latency per invocation: median ([0-9.]+) ms");
        assertTrue(out.contains("median of rounds: throughput loss"), "the control loop A/B finished its rounds");
        assertTrue(out.contains("convergence bench:") && out.contains("converged in"), "the convergence run finished");
        assertPositive(out, "reports: ([0-9.]+) /s");
        assertPositive(out, "profile uploads of [0-9.]+ MB: ([0-9.]+) MB/s");
        assertPositive(out, "merged\\?format=json: .*; answer ([0-9]+) bytes");
        assertPositive(out, "state save bench:.*\\n.*\\n +100 +[0-9]+ +[0-9.]+ +[0-9.]+ +([0-9.]+) ");
    }

    private static void assumePerf() {
        if (PerfCheck.problem().isEmpty()) {
            return;
        }
        String notice = PerfCheck.notice("the benchmarks' smoke tests");
        String rule = "!".repeat(100);
        System.err.println("\n" + rule + "\n!!! " + notice.replace("\n", "\n!!! ") + "\n" + rule + "\n");
        if (PerfCheck.required()) {
            fail(notice);
        }
        Assumptions.abort(notice);
    }

    private static void assertPositive(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no line matching '" + regex + "'");
        assertTrue(Double.parseDouble(m.group(1)) > 0, m.group());
    }
}
