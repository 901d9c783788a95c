package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * CPU time of processes and threads from /proc. perf runs as a child process, so its CPU is
 * invisible to the JVM's own counters: read it from the kernel while it runs, and through our
 * own cutime/cstime once it has exited and been reaped. An in-process engine's native threads
 * are invisible to the JVM too: read them from /proc/self/task/TID/stat.
 */
final class ProcCpu {
    /** USER_HZ is 100 on every Linux architecture the JDK ships for. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {}

    /** utime+stime of a running process in ns, or -1 when it is gone. */
    static long processNanos(long pid) {
        long[] f = fields(Path.of("/proc", Long.toString(pid), "stat"));
        return f == null ? -1 : (f[11] + f[12]) * NANOS_PER_TICK;
    }

    /** utime+stime of one of this process's threads in ns, or -1 when it is gone. */
    static long threadNanos(long tid) {
        long[] f = fields(Path.of("/proc/self/task", Long.toString(tid), "stat"));
        return f == null ? -1 : (f[11] + f[12]) * NANOS_PER_TICK;
    }

    /** The kernel thread ids of this process now (empty where /proc cannot be read). */
    static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) ids.add(Long.parseLong(t.getFileName().toString()));
        } catch (IOException | NumberFormatException e) {
            // no /proc: nothing to attribute
        }
        return ids;
    }

    /** cutime+cstime of this process in ns: CPU of children that exited and were waited for. */
    static long reapedChildrenNanos() {
        long[] f = fields(Path.of("/proc/self/stat"));
        return f == null ? 0 : (f[13] + f[14]) * NANOS_PER_TICK;
    }

    /** Fields after the command name, so index 0 is field 3 (state) of proc(5). */
    private static long[] fields(Path statFile) {
        String stat;
        try {
            stat = Files.readString(statFile);
        } catch (IOException e) {
            return null;
        }
        // The command name is in parentheses and may itself contain spaces or ')'.
        String[] parts = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long[] out = new long[parts.length];
        for (int i = 1; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
        }
        return out;
    }
}
