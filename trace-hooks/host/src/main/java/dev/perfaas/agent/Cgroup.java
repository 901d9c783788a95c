package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's cgroups as {@code /proc/<pid>/cgroup} lists them, never built from a container id
 * (Docker's cgroupfs and systemd drivers, containerd and Kubernetes all name them differently).
 *
 * @param perfEvent the cgroup {@code perf record -G} takes: the v1 {@code perf_event} hierarchy's path
 *                  (perf resolves -G against that mount when there is one), else the unified (v2)
 *                  path; relative, without the leading '/'
 * @param cpuUsage  the file of the cgroup's CPU time: v1 {@code cpuacct.usage} (ns), else v2
 *                  {@code cpu.stat} ({@code usage_usec})
 * @param memory    the directory of the cgroup's memory files: the v1 {@code memory} hierarchy's when
 *                  there is one, else the unified (v2) one (read by {@link CgroupStats})
 */
record Cgroup(String perfEvent, Path cpuUsage, Path memory) {

    /** Where the host's cgroup hierarchies are mounted. */
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** The cgroups of {@code procCgroupText} (the whole file), with the hierarchies under {@code root}. */
    static Cgroup parse(String procCgroupText, Path root) {
        String v1Perf = null;
        String v1Cpuacct = null;
        String v1Memory = null;
        String unified = null;
        for (String line : procCgroupText.split("\n")) {
            int first = line.indexOf(':');
            int second = line.indexOf(':', first + 1);
            if (first < 0 || second < 0) {
                continue;
            }
            String controllers = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (controllers.isEmpty()) {
                unified = path;
            }
            for (String c : controllers.split(",")) {
                if (c.equals("perf_event")) {
                    v1Perf = path;
                } else if (c.equals("cpuacct")) {
                    v1Cpuacct = path;
                } else if (c.equals("memory")) {
                    v1Memory = path;
                }
            }
        }
        String perf = v1Perf != null ? v1Perf : unified;
        if (perf == null) {
            throw new IllegalArgumentException("no perf_event or unified cgroup in: " + procCgroupText.strip());
        }
        Path v2 = unifiedRoot(root).resolve(relative(unified == null ? "/" : unified));
        Path cpu = v1Cpuacct != null
                ? root.resolve("cpuacct").resolve(relative(v1Cpuacct)).resolve("cpuacct.usage")
                : v2.resolve("cpu.stat");
        Path memory = v1Memory != null ? root.resolve("memory").resolve(relative(v1Memory)) : v2;
        return new Cgroup(relative(perf), cpu, memory);
    }

    /** The cgroups of process {@code pid}; an IOException when it is gone. */
    static Cgroup of(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")), ROOT);
    }

    /** The cgroup's CPU time in ns, or -1 when it is gone. */
    long cpuNanos() {
        try {
            String text = Files.readString(cpuUsage);
            if (cpuUsage.getFileName().toString().equals("cpuacct.usage")) {
                return Long.parseLong(text.strip());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring("usage_usec ".length()).strip()) * 1000;
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The cgroup's processes (host pids), listed beside its CPU file: every hierarchy holds the same ones. */
    Path procs() {
        return cpuUsage.resolveSibling("cgroup.procs");
    }

    /** The v2 hierarchy: {@code unified/} beside the v1 ones on a hybrid layout, else the root itself. */
    private static Path unifiedRoot(Path root) {
        Path hybrid = root.resolve("unified");
        return Files.isDirectory(hybrid) ? hybrid : root;
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
