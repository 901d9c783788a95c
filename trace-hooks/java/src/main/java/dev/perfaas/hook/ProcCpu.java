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
 * are invisible to the JVM too: read them from /proc/self/task/TID/stat. Public for the
 * benchmarks, which measure other processes with the same reading.
 */
public final class ProcCpu {
    /** USER_HZ is 100 on every Linux architecture the JDK ships for. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {}

    /**
     * A process's CPU from its stat file (proc(5)), in ns: its own (utime + stime), and its children's
     * that exited and were waited for (cutime + cstime).
     */
    public record Times(long ownNanos, long reapedChildrenNanos) {}

    /** The times of process {@code pid}, or null when it is gone. */
    public static Times of(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The times of thread {@code tid} of process {@code pid} (its own utime + stime), or null when it is gone. */
    public static Times ofThread(long pid, long tid) {
        return read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
    }

    /** utime+stime of a running process in ns, or -1 when it is gone. */
    static long processNanos(long pid) {
        Times t = of(pid);
        return t == null ? -1 : t.ownNanos();
    }

    /** The kernel thread ids of this process now (empty where /proc cannot be read). */
    static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                ids.add(Long.parseLong(t.getFileName().toString()));
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: nothing to attribute
        }
        return ids;
    }

    /**
     * The JIT compiler threads of this JVM ("C1 CompilerThread0", "C2 CompilerThread1", ...: the
     * kernel keeps 15 characters of a thread's name).
     */
    static Set<Long> compilerThreadIds() {
        return threadIdsNamed("C1 CompilerThre", "C2 CompilerThre");
    }

    /** The calling thread's name as the kernel keeps it (its first 15 characters), or "" where /proc cannot be read. */
    static String currentThreadName() {
        try {
            return Files.readString(Path.of("/proc/thread-self/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** This process's threads whose name (its first 15 characters) starts with one of {@code prefixes}. */
    static Set<Long> threadIdsNamed(String... prefixes) {
        Set<Long> ids = new HashSet<>();
        for (long tid : threadIds()) {
            try {
                String comm = Files.readString(Path.of("/proc/self/task", Long.toString(tid), "comm"));
                for (String prefix : prefixes) {
                    if (!prefix.isEmpty() && comm.startsWith(prefix)) {
                        ids.add(tid);
                    }
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return ids;
    }

    /** Time one of this process's threads has run, in ns, from schedstat (exact, where stat counts 10 ms ticks); -1 when gone. */
    static long threadRunNanos(long tid) {
        try {
            String s = Files.readString(Path.of("/proc/self/task", Long.toString(tid), "schedstat"));
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** cutime+cstime of this process in ns: CPU of children that exited and were waited for. */
    static long reapedChildrenNanos() {
        Times t = read(Path.of("/proc/self/stat"));
        return t == null ? 0 : t.reapedChildrenNanos();
    }

    /** Null when the file cannot be read: the process or thread is gone. */
    private static Times read(Path statFile) {
        String stat;
        try {
            stat = Files.readString(statFile);
        } catch (IOException e) {
            return null;
        }
        // The command name is in parentheses and may itself contain spaces or ')'; f[0] is field 3 (state).
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new Times(
                (ticks(f[11]) + ticks(f[12])) * NANOS_PER_TICK, (ticks(f[13]) + ticks(f[14])) * NANOS_PER_TICK);
    }

    private static long ticks(String field) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
