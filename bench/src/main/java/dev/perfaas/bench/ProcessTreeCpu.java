package dev.perfaas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU a process and everything it started have used, from /proc: its own utime + stime, what its
 * reaped children used (cutime + cstime: finished perf script runs, a stopped perf record), and the
 * same for each child still running (a perf record in flight). A function's perf runs as its child,
 * so this is what the function costs the machine, tracer included. USER_HZ is 100 on Linux.
 */
final class ProcessTreeCpu {
    private ProcessTreeCpu() {}

    static long millis(long pid) {
        long ms = 0;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14-17 of proc(5): utime stime cutime cstime, in clock ticks.
            ms = (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String children = Files.readString(task.resolve("children")).trim();
                    if (children.isEmpty()) continue;
                    for (String child : children.split(" ")) ms += millis(Long.parseLong(child));
                }
            }
        } catch (NoSuchFileException e) {
            return ms; // ended while being read: its CPU moves to the parent's cutime
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ms;
    }
}
