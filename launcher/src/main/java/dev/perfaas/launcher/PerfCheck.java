package dev.perfaas.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether perf from PATH can sample a process of this user, as the perf engine needs: perf records
 * this JVM ({@code -F -g -p}, as the engine does) for a tenth of a second, once per JVM. {@code
 * ./perfaas bench} warns without it; the tests that run the perf engine are skipped, loudly, or fail
 * with PERFAAS_REQUIRE_PERF=true (.ci/run sets it).
 */
public final class PerfCheck {
    public static final String HOW_TO = "Install perf (Debian: apt-get install linux-perf, as .ci/run does;"
            + " Ubuntu: linux-tools-generic) and let it sample your own processes"
            + " (root, CAP_PERFMON, or kernel.perf_event_paranoid <= 2).";

    private static Optional<String> problem;

    private PerfCheck() {}

    /** Why perf cannot sample here, or empty when it can. */
    public static synchronized Optional<String> problem() {
        if (problem == null) {
            problem = Optional.ofNullable(check());
        }
        return problem;
    }

    /** PERFAAS_REQUIRE_PERF=true: a missing perf fails the perf tests instead of skipping them. */
    public static boolean required() {
        return Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_PERF"));
    }

    /** What to print, loudly, when {@code tests} cannot run for want of perf. */
    public static String notice(String tests) {
        return "perf cannot sample here, so " + tests + " "
                + (required() ? "FAIL (PERFAAS_REQUIRE_PERF=true)" : "are SKIPPED") + ": "
                + problem().orElse("?") + "\n" + HOW_TO;
    }

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
            FunctionBuild.deleteTree(dir);
            if (!exited) {
                return "`" + String.join(" ", cmd) + "` did not end within 60 s";
            }
            return p.exitValue() == 0
                    ? null
                    : "`" + String.join(" ", cmd) + "` exited with " + p.exitValue() + ": " + output;
        } catch (IOException e) {
            return "cannot run 'perf': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking perf";
        }
    }
}
