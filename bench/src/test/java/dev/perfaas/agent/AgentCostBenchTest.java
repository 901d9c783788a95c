package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.PerfCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./perfaas bench agent --quick}: every part of {@link AgentCostBench} runs end to end with the
 * real Docker engine, perf, agent and controller, and measures something. Never how fast (timings on
 * a shared 2-core machine are for BENCHMARKS.md). Without Docker, root or perf it is skipped loudly,
 * and fails when PERFAAS_REQUIRE_DOCKER or PERFAAS_REQUIRE_PERF is true.
 */
class AgentCostBenchTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyPartRunsAndMeasures() throws Exception {
        assumeHostCanProfile();
        Process p = new ProcessBuilder(
                        ControllerProcess.javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AgentCostBench.class.getName(),
                        "--root",
                        ROOT.toString(),
                        "--quick")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, p.waitFor(), "the agent bench failed:\n" + out);

        assertPositive(out, "slots at 99 Hz: enable\\+disable round trip median ([0-9.]+) ms");
        assertPositive(out, "slots at 997 Hz: enable\\+disable round trip median ([0-9.]+) ms");
        assertPositive(out, "target -G at 99 Hz: .* ([0-9]+) samples/s");
        assertPositive(out, "target -p at 99 Hz: .* ([0-9]+) samples/s");
        assertPositive(out, "hz 99: .*of the sampled function's CPU \\(([0-9]+) ms/s\\)");
        assertPositive(out, "loop: ([0-9]+) periods at maxOverhead 1%");
    }

    private static void assumeHostCanProfile() throws InterruptedException {
        String missing = null;
        boolean perf = false;
        if (!ok("docker", "info", "--format", "{{.ServerVersion}}")) {
            missing = "no Docker engine answers `docker info`";
        } else if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
            missing = "the node agent needs root (CAP_PERFMON, CAP_SYS_PTRACE) and the tests are not run as root";
        } else if (PerfCheck.problem().isPresent()) {
            missing = PerfCheck.notice("the agent bench's smoke test");
            perf = true;
        }
        if (missing == null) {
            return;
        }
        boolean required = perf ? PerfCheck.required() : Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_DOCKER"));
        String notice = "the agent bench's smoke test " + (required ? "FAILS" : "is SKIPPED") + ": " + missing;
        String rule = "!".repeat(100);
        System.err.println("\n" + rule + "\n!!! " + notice.replace("\n", "\n!!! ") + "\n" + rule + "\n");
        if (required) {
            fail(notice);
        }
        Assumptions.abort(notice);
    }

    private static boolean ok(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertPositive(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no line matching '" + regex + "'");
        assertTrue(Double.parseDouble(m.group(1)) > 0, m.group());
    }
}
