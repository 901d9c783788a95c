package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JIT symbol maps of a container's processes, where perf script finds them without entering the
 * container's mount namespace (which needs CAP_SYS_ADMIN): a runtime writes
 * {@code /tmp/perf-<its pid>.map} in its own namespaces (Node's --perf-basic-prof, Python's
 * PYTHONPERFSUPPORT, the perfaas hook), and perf falls back to the host's
 * {@code /tmp/perf-<host pid>.map}. Copied through {@code /proc/<pid>/root} (CAP_SYS_PTRACE) before
 * rendering, removed after.
 */
final class JitMaps implements AutoCloseable {
    private final List<Path> copied = new ArrayList<>();

    /** Copies the maps of the processes of {@code procsFile} (a cgroup's cgroup.procs) that have one. */
    static JitMaps copy(Path procsFile) {
        JitMaps maps = new JitMaps();
        List<String> pids;
        try {
            pids = Files.readAllLines(procsFile);
        } catch (IOException e) {
            return maps; // the cgroup is gone: nothing to resolve
        }
        for (String pid : pids) {
            if (!pid.isBlank()) {
                maps.copyOne(pid.strip());
            }
        }
        return maps;
    }

    private void copyOne(String hostPid) {
        Path proc = Path.of("/proc", hostPid);
        try {
            String nsPid = namespacePid(Files.readString(proc.resolve("status")));
            Path inside = proc.resolve("root/tmp/perf-" + nsPid + ".map");
            Path host = Path.of("/tmp/perf-" + hostPid + ".map");
            if (nsPid.equals(hostPid) || !Files.isRegularFile(inside)) {
                return; // no map, or the process shares our pid namespace and perf finds its map as it is
            }
            Files.copy(inside, host, StandardCopyOption.REPLACE_EXISTING);
            copied.add(host);
        } catch (IOException | RuntimeException e) {
            // exited meanwhile or unreadable: its JIT frames stay [unknown]
        }
    }

    /** The innermost pid of {@code NSpid:} in /proc/<pid>/status: the process's pid in its own namespace. */
    static String namespacePid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("NSpid:")) {
                String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
                return pids[pids.length - 1];
            }
        }
        throw new IllegalArgumentException("no NSpid line");
    }

    @Override
    public void close() {
        for (Path p : copied) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // /tmp is cleaned on reboot
            }
        }
        copied.clear();
    }
}
