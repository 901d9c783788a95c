package dev.perfaas.hook;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory once a window, read on the window thread: the JVM's own figures and its
 * container's from cgroup v2 ({@code memory.current}, {@code memory.peak}, {@code memory.max}) or v1
 * ({@code memory.usage_in_bytes}, {@code memory.max_usage_in_bytes}, {@code memory.limit_in_bytes}).
 * -1 stands for a figure this instance cannot read, and for an unlimited limit.
 */
final class MemoryGauges {
    /** cgroup v1 writes "no limit" as a page-rounded Long.MAX_VALUE; anything above 2^60 is that. */
    private static final long UNLIMITED = 1L << 60;

    record Reading(
            long heapAfterGcBytes,
            long heapMaxBytes,
            long nonHeapBytes,
            long containerBytes,
            long containerPeakBytes,
            long containerLimitBytes) {
        static final Reading NONE = new Reading(-1, -1, -1, -1, -1, -1);
    }

    private final Path current;
    private final Path peak;
    private final Path limit;

    private MemoryGauges(Path dir, boolean v2) {
        this.current = dir == null ? null : dir.resolve(v2 ? "memory.current" : "memory.usage_in_bytes");
        this.peak = dir == null ? null : dir.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
        this.limit = dir == null ? null : dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes");
    }

    /** Finds this process's memory cgroup from /proc/self/cgroup. */
    static MemoryGauges find() {
        return find(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    static MemoryGauges find(Path procCgroup, Path root) {
        try {
            for (String line : Files.readAllLines(procCgroup)) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("0") && f[1].isEmpty() && Files.exists(root.resolve("cgroup.controllers"))) {
                    return new MemoryGauges(where(root, f[2], "memory.current"), true);
                }
                if (List.of(f[1].split(",")).contains("memory")) {
                    return new MemoryGauges(where(root.resolve("memory"), f[2], "memory.usage_in_bytes"), false);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup to read: the container's figures stay absent
        }
        return new MemoryGauges(null, true);
    }

    /**
     * The cgroup's directory: its path under the mount on a host; the mount itself in a container
     * with its own cgroup namespace, where /proc/self/cgroup may name a path the mount does not have.
     */
    private static Path where(Path mount, String path, String probe) {
        Path dir = mount.resolve(path.startsWith("/") ? path.substring(1) : path);
        if (Files.isReadable(dir.resolve(probe))) {
            return dir;
        }
        return Files.isReadable(mount.resolve(probe)) ? mount : null;
    }

    Reading read() {
        long afterGc = -1;
        if (collected()) {
            afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (u != null) {
                    afterGc += u.getUsed();
                }
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        return new Reading(
                afterGc,
                max == Long.MAX_VALUE ? -1 : max,
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted(),
                bytes(current),
                bytes(peak),
                bytes(limit));
    }

    /** Before the first collection the pools' usage after GC reads 0, which would say nothing is live. */
    private static boolean collected() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getCollectionCount() > 0) {
                return true;
            }
        }
        return false;
    }

    /** A cgroup file's number; -1 when absent, unreadable, "max" or v1's unlimited. */
    static long bytes(Path file) {
        if (file == null) {
            return -1;
        }
        try {
            String s = Files.readString(file).trim();
            long v = s.equals("max") ? -1 : Long.parseLong(s);
            return v >= UNLIMITED ? -1 : v;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
