package dev.perfaas.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI, every command bounded by a timeout so a stuck engine fails the test instead of hanging it. */
final class Docker {
    static final Duration SHORT = Duration.ofSeconds(60);

    private Docker() {}

    /** Exit code and merged output of one docker command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(args);
        return exec(command, timeout);
    }

    /** Runs a docker command that must succeed and returns its output, trimmed. */
    static String ok(Duration timeout, String... args) {
        Result r = run(timeout, List.of(args));
        if (!r.ok()) {
            throw new IllegalStateException(
                    "docker " + String.join(" ", args) + " exited with " + r.exit() + ":\n" + r.output());
        }
        return r.output().trim();
    }

    static String ok(String... args) {
        return ok(SHORT, args);
    }

    /** Any command, its output through a file so a chatty one never blocks on a full pipe. */
    static Result exec(List<String> command, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("perfaas-docker-", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(
                        -1, String.join(" ", command) + " took longer than " + timeout + ":\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + " could not run: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", command) + " was interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
