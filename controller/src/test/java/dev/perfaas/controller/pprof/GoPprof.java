package dev.perfaas.controller.pprof;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code go tool pprof}, the reference reader of pprof files: from PATH, else Debian's
 * golang-1.19-go at /usr/lib/go-1.19/bin. Without Go the tests that run it are skipped, and say so
 * loudly on stderr: a skipped consumer test has checked nothing. With PERFAAS_REQUIRE_GO=true
 * (.ci/run sets it, after installing golang-1.19-go) that is a failure instead.
 */
final class GoPprof {
    static final Path DEBIAN_GO = Path.of("/usr/lib/go-1.19/bin/go");

    /** What one run answered. */
    record Run(int exit, String output) {}

    private static String go; // null until looked for; "" when there is none

    private GoPprof() {}

    static synchronized String assumeAvailable() {
        if (go == null) {
            go = find();
            if (go.isEmpty()) {
                String rule = "!".repeat(100);
                System.err.println("\n" + rule + "\n!!! " + notice().replace("\n", "\n!!! ") + "\n" + rule + "\n");
            }
        }
        if (!go.isEmpty()) {
            return go;
        }
        if (required()) {
            fail(notice());
        }
        Assumptions.abort(notice());
        return null;
    }

    /** {@code go tool pprof <options> <file>}, within a minute. */
    static Run run(Path file, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(assumeAvailable(), "tool", "pprof"));
        cmd.addAll(List.of(options));
        cmd.add(file.toString());
        Path tmp = Files.createTempDirectory("perfaas-pprof");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PPROF_TMPDIR", tmp.toString()); // nothing written beside the user's files
        pb.environment().put("HOME", tmp.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "go tool pprof did not finish: " + output);
        return new Run(p.exitValue(), output);
    }

    private static boolean required() {
        return Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_GO"));
    }

    private static String notice() {
        return "no Go toolchain (go on PATH or " + DEBIAN_GO + "), so the tests reading pprof with go tool pprof "
                + (required() ? "FAIL (PERFAAS_REQUIRE_GO=true)" : "are SKIPPED")
                + "\nInstall it (Debian: apt-get install golang-1.19-go, as .ci/run does).";
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
                return Path.of(dir, "go").toString();
            }
        }
        return Files.isExecutable(DEBIAN_GO) ? DEBIAN_GO.toString() : "";
    }
}
