package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes from /proc/PID/stat. perf runs as a child process, so its CPU is
 * invisible to the JVM's own counters: read it from the kernel while it runs, and through our
 * own cutime/cstime once it has exited and been reaped.
 */
final class ProcCpu {
    /** USER_HZ is 100 on every Linux architecture the JDK ships for. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {}

    /** utime+stime of a running process in ns, or -1 when it is gone. */
    static long processNanos(long pid) {
        long[] f = fields(pid);
        return f == null ? -1 : (f[11] + f[12]) * NANOS_PER_TICK;
    }

    /** cutime+cstime of this process in ns: CPU of children that exited and were waited for. */
    static long reapedChildrenNanos() {
        long[] f = fields(ProcessHandle.current().pid());
        return f == null ? 0 : (f[13] + f[14]) * NANOS_PER_TICK;
    }

    /** Fields after the command name, so index 0 is field 3 (state) of proc(5). */
    private static long[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
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
