package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real processes in cgroups a test makes, named as a container runtime names them (faasd's
 * {@code /openfaas-fn/<fn>}, the kubelet's {@code kubepods…/<container id>}), in the v1 hierarchies
 * the agent reads (perf_event, cpuacct) and the unified one: the agent's discoveries then read real
 * {@code /proc/<pid>/cgroup} files. Needs root, as the agent does; without it the tests are skipped
 * loudly, and fail under PERFAAS_REQUIRE_PERF=true (a machine that runs the agent's perf tests).
 */
final class HostCgroups implements AutoCloseable {
    private static final List<String> HIERARCHIES = List.of("perf_event", "cpuacct", "unified");

    private final List<Path> made = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    static HostCgroups assumeWritable() {
        return assume(false);
    }

    /** As {@link #assumeWritable()}, and perf runs (the sampler's tests drive real perf on these cgroups). */
    static HostCgroups assumeWritableWithPerf() {
        return assume(true);
    }

    private static HostCgroups assume(boolean perf) {
        Path probe = Cgroup.ROOT.resolve("perf_event");
        String problem = null;
        if (perf && !perfRuns()) {
            problem = "'perf --version' does not run (Debian: apt-get install linux-perf)";
        } else if (!Files.isWritable(probe.resolve("cgroup.procs"))) {
            problem = probe + " is not a writable cgroup v1 hierarchy (root, and the perf_event controller mounted)";
        } else if (!Files.isDirectory(Cgroup.ROOT.resolve("cpuacct"))) {
            problem = "no cgroup v1 cpuacct hierarchy under " + Cgroup.ROOT;
        }
        if (problem != null) {
            boolean required = Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_PERF"));
            String notice = "the agent's real-cgroup discovery tests "
                    + (required ? "FAIL (PERFAAS_REQUIRE_PERF=true)" : "are SKIPPED") + ": " + problem;
            System.err.println("\n!!! " + notice + "\n");
            if (required) {
                fail(notice);
            }
            Assumptions.abort(notice);
        }
        return new HostCgroups();
    }

    /** Starts {@code sleep} and moves it into {@code path} (relative) in every hierarchy; returns its pid. */
    long start(String path) throws IOException, InterruptedException {
        return start(path, "sleep", "300");
    }

    /** Starts {@code command} and moves it into {@code path} (relative) in every hierarchy; returns its pid. */
    long start(String path, String... command) throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder(command).start();
        processes.add(sleep);
        for (String h : HIERARCHIES) {
            if (!Files.isDirectory(Cgroup.ROOT.resolve(h))) {
                continue; // no unified hierarchy beside the v1 ones
            }
            Path dir = Cgroup.ROOT.resolve(h).resolve(path);
            Path top = Cgroup.ROOT.resolve(h);
            for (Path p = top.relativize(dir); p != null; p = p.getParent()) {
                Path d = top.resolve(p);
                if (!Files.isDirectory(d)) {
                    Files.createDirectories(d);
                    made.add(d);
                }
            }
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleep.pid()));
        }
        return sleep.pid();
    }

    private static boolean perfRuns() {
        try {
            Process p = new ProcessBuilder("perf", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the processes and removes the cgroups made, deepest first (a cgroup shared with another test stays). */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        made.sort((a, b) -> b.getNameCount() - a.getNameCount());
        for (Path d : made) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                // not empty: another test's processes are in it
            }
        }
    }
}
