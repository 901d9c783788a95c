package dev.perfaas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** CPU time of processes from /proc/PID/stat (proc(5): utime, stime, cutime, cstime; USER_HZ 100). */
final class ProcStat {
    private ProcStat() {}

    /** What the process itself used: utime + stime. */
    static long cpuMillis(long pid) {
        long[] t = times(pid);
        return t == null ? 0 : t[0] + t[1];
    }

    /**
     * What a process and everything it started used: its own time, its reaped children's (cutime +
     * cstime: finished perf script runs, a stopped perf record), and the same for each child still
     * running (a perf record in flight). A function's perf runs as its child, so this is what the
     * function costs the machine, tracer included.
     */
    static long treeCpuMillis(long pid) {
        long[] t = times(pid);
        if (t == null) return 0; // ended while being read: its CPU moves to the parent's cutime
        long ms = t[0] + t[1] + t[2] + t[3];
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String children = Files.readString(task.resolve("children")).trim();
                if (children.isEmpty()) continue;
                for (String child : children.split(" ")) ms += treeCpuMillis(Long.parseLong(child));
            }
        } catch (NoSuchFileException e) {
            return ms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ms;
    }

    /** utime, stime, cutime, cstime in ms, or null when the process is gone. */
    private static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10, Long.parseLong(f[13]) * 10,
                    Long.parseLong(f[14]) * 10};
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
