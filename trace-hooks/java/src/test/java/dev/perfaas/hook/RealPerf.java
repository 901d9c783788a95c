package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether perf from PATH can sample this JVM, which the tests that drive real perf need. Without it
 * they are skipped, and say so loudly on stderr: a skipped perf test has checked nothing. With
 * PERFAAS_REQUIRE_PERF=true (.ci/run sets it) that is a failure instead. The check is perf recording
 * this JVM as the engine does ({@code -F -g -p}) for a tenth of a second, once per test JVM.
 */
final class RealPerf {
    private static String problem; // "" once perf has sampled this JVM

    private RealPerf() {}

    static synchronized void assumeWorks() {
        if (problem == null) {
            problem = check();
            if (!problem.isEmpty()) {
                String rule = "!".repeat(100);
                System.err.println("\n" + rule + "\n!!! " + notice().replace("\n", "\n!!! ") + "\n" + rule + "\n");
            }
        }
        if (problem.isEmpty()) {
            return;
        }
        if (required()) {
            fail(notice());
        }
        Assumptions.abort(notice());
    }

    private static boolean required() {
        return Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_PERF"));
    }

    private static String notice() {
        return "perf cannot sample this JVM, so the hook's perf tests "
                + (required() ? "FAIL (PERFAAS_REQUIRE_PERF=true)" : "are SKIPPED") + ": " + problem
                + "\nInstall perf (Debian: apt-get install linux-perf, as .ci/run does) and let it sample your own"
                + " processes (root, CAP_PERFMON, or kernel.perf_event_paranoid <= 2).";
    }

    /** "" when perf recorded this JVM, else why not. */
    private static String check() {
        try {
            Path dir = Files.createTempDirectory("perfaas-perf-check");
            Path log = dir.resolve("perf.log");
            List<String> cmd = List.of(
                    "perf",
                    "record",
                    "-F",
                    "99",
                    "-g",
                    "-p",
                    Long.toString(ProcessHandle.current().pid()),
                    "--no-bpf-event",
                    "-q",
                    "-o",
                    dir.resolve("perf.data").toString(),
                    "--",
                    "sleep",
                    "0.1");
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            if (!exited) {
                return "`" + String.join(" ", cmd) + "` did not end within 60 s";
            }
            return p.exitValue() == 0
                    ? ""
                    : "`" + String.join(" ", cmd) + "` exited with " + p.exitValue() + ": " + output;
        } catch (IOException e) {
            return "cannot run 'perf': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking perf";
        }
    }
}
