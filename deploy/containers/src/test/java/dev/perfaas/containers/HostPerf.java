package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What profiling from the host needs of this machine: root, perf, and the cgroup v1 perf_event
 * controller mounted before the function containers start (dockerd creates perf_event/docker/<id>
 * only for containers started after the mount). .ci/run sets it up; without it the test says why
 * and fails under PERFAAS_REQUIRE_DOCKER=true, as the Docker engine's absence does.
 */
final class HostPerf {
    static final String SETUP = "as root: mkdir -p /sys/fs/cgroup/perf_event && "
            + "mount -t cgroup -o perf_event perf_event /sys/fs/cgroup/perf_event (.ci/run does)";

    private HostPerf() {}

    static void assumeReady() throws IOException, InterruptedException {
        String missing = null;
        if (!"0".equals(run("id", "-u"))) {
            missing = "the node agent needs root (CAP_PERFMON, CAP_SYS_PTRACE) and the tests are not run as root";
        } else if (run("perf", "--version") == null) {
            missing = "perf is not installed";
        } else if (Files.readAllLines(Path.of("/proc/cgroups")).stream()
                        .anyMatch(l -> l.matches("perf_event\\s+0\\s+.*"))
                && Files.isDirectory(Path.of("/sys/fs/cgroup/cpuacct"))) {
            missing = "the perf_event cgroup controller is not mounted; " + SETUP;
        }
        if (missing == null) {
            return;
        }
        String why = "the node agent's container test cannot run: " + missing;
        System.err.println("!!! " + why);
        if (Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_DOCKER"))) {
            fail(why);
        }
        Assumptions.assumeTrue(false, why);
    }

    /** The command's trimmed output, or null when it cannot run or fails. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
