package dev.perfaas.bench;

import dev.perfaas.hook.ProcCpu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** CPU time and memory of other processes, read from /proc (CPU as the hook reads it, {@link ProcCpu}). */
final class ProcStat {
    private ProcStat() {}

    /** What the process itself used: utime + stime. */
    static long cpuMillis(long pid) {
        ProcCpu.Times t = ProcCpu.of(pid);
        return t == null ? 0 : t.ownNanos() / 1_000_000;
    }

    /**
     * What a process and everything it started used: its own time, its reaped children's (cutime +
     * cstime: finished perf script runs, a stopped perf record), and the same for each child still
     * running (a perf record in flight). A function's perf runs as its child, so this is what the
     * function costs the machine, tracer included.
     */
    static long treeCpuMillis(long pid) {
        ProcCpu.Times t = ProcCpu.of(pid);
        if (t == null) {
            return 0; // ended while being read: its CPU moves to the parent's cutime
        }
        long ms = (t.ownNanos() + t.reapedChildrenNanos()) / 1_000_000;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String children = Files.readString(task.resolve("children")).trim();
                if (children.isEmpty()) {
                    continue;
                }
                for (String child : children.split(" ")) {
                    ms += treeCpuMillis(Long.parseLong(child));
                }
            }
        } catch (NoSuchFileException e) {
            return ms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ms;
    }

    /**
     * CPU of a process's threads whose name starts with {@code prefix} (a runtime's request threads),
     * read as {@link #treeCpuMillis} reads the process ({@link ProcCpu}: stat's utime + stime), so the
     * two can be subtracted; a thread that ended is not counted.
     */
    static long threadsCpuMillis(long pid, String prefix) {
        long ms = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        ProcCpu.Times t = ProcCpu.ofThread(
                                pid, Long.parseLong(task.getFileName().toString()));
                        ms += t == null ? 0 : t.ownNanos() / 1_000_000;
                    }
                } catch (NoSuchFileException e) {
                    // ended meanwhile
                } catch (IOException e) {
                    // Ending as it is read: a task's files answer ESRCH ("No such process") then. A
                    // process that is gone fails the listing above instead.
                }
            }
        } catch (NoSuchFileException e) {
            return ms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ms;
    }

    /** The process's resident memory (VmRSS), in MB; -1 when /proc does not say. */
    static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
