package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * perf resolves {@code -G} against the cgroup v1 {@code perf_event} hierarchy when it is mounted.
 * Hybrid layouts (these machines) enable that controller but do not mount it, and Docker's cgroupfs
 * driver creates {@code perf_event/docker/<id>} only for containers started after it is mounted.
 * The agent mounts it when the kernel has it unmounted; containers already running are then
 * sampled through their unified (v2) cgroup, if at all (FACTS.md section 6).
 */
final class PerfEventMount {
    static final Path MOUNT = Path.of("/sys/fs/cgroup/perf_event");

    private PerfEventMount() {}

    /** True when /proc/cgroups lists perf_event enabled in no v1 hierarchy (hierarchy 0). */
    static boolean unmounted(String procCgroups) {
        for (String line : procCgroups.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals("perf_event")) {
                return f[1].equals("0") && f[3].equals("1");
            }
        }
        return false;
    }

    /**
     * Mounts it if the kernel has it unmounted and the v1 layout is in use; says what it did. Not
     * mounting it is no reason to stop (the Kubernetes DaemonSet has no CAP_SYS_ADMIN and a read-only
     * /sys/fs/cgroup): perf -G then resolves against the unified hierarchy.
     */
    static String ensure() {
        try {
            return mount();
        } catch (IOException e) {
            return e.getMessage() + "; perf -G resolves against the unified (v2) hierarchy";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted mounting the perf_event cgroup";
        }
    }

    private static String mount() throws IOException, InterruptedException {
        if (!unmounted(Files.readString(Path.of("/proc/cgroups")))) {
            return "perf_event cgroup: mounted already, or not a v1 controller here";
        }
        if (!Files.isDirectory(Cgroup.ROOT.resolve("cpuacct"))) {
            return "perf_event cgroup: unified (v2) layout, nothing to mount";
        }
        Files.createDirectories(MOUNT);
        Process p = new ProcessBuilder(
                        List.of("mount", "-t", "cgroup", "-o", "perf_event", "perf_event", MOUNT.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IOException("cannot mount the perf_event cgroup on " + MOUNT + ": " + out);
        }
        return "perf_event cgroup: mounted on " + MOUNT + " (containers started before it are not found in it)";
    }
}
