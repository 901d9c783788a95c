package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a function instance's cgroup says of its CPU and memory, as cAdvisor (and so the kubelet)
 * reads them: CPU time since the cgroup was made, the memory working set (usage less inactive
 * file-backed pages, which the kernel reclaims before it kills: the figure an OOM kill is judged
 * against), the limit and the OOM kills so far. cgroup v1 ({@code memory.usage_in_bytes},
 * {@code memory.stat total_inactive_file}, {@code memory.limit_in_bytes}, {@code memory.oom_control
 * oom_kill}) or v2 ({@code memory.current}, {@code memory.stat inactive_file}, {@code memory.max},
 * {@code memory.events oom_kill}), whichever holds the memory controller: on a hybrid layout (these
 * machines, Docker's cgroupfs driver) that is v1.
 *
 * @param cpuNanos        CPU time since the cgroup was made, ns
 * @param workingSetBytes usage less inactive file pages, bytes
 * @param limitBytes      the memory limit, bytes; -1 when unlimited
 * @param oomKills        processes the kernel's OOM killer killed in the cgroup; -1 when the kernel does not say
 */
record CgroupStats(long cpuNanos, long workingSetBytes, long limitBytes, long oomKills) {

    /** v1 writes an unlimited limit as the largest page count in bytes (~2^63); anything this large is none. */
    private static final long UNLIMITED = 1L << 62;

    /** The cgroup's figures now; null when it is gone (the instance exited). */
    static CgroupStats read(Cgroup cgroup) {
        try {
            long cpu = cgroup.cpuNanos();
            if (cpu < 0) {
                return null;
            }
            Path dir = cgroup.memory();
            boolean v1 = Files.exists(dir.resolve("memory.usage_in_bytes"));
            long usage = number(Files.readString(dir.resolve(v1 ? "memory.usage_in_bytes" : "memory.current")));
            Map<String, Long> stat = keyed(Files.readString(dir.resolve("memory.stat")));
            long inactive = stat.getOrDefault(v1 ? "total_inactive_file" : "inactive_file", 0L);
            long limit = number(Files.readString(dir.resolve(v1 ? "memory.limit_in_bytes" : "memory.max")));
            Long oom = keyed(Files.readString(dir.resolve(v1 ? "memory.oom_control" : "memory.events")))
                    .get("oom_kill");
            return new CgroupStats(
                    cpu,
                    Math.max(0, usage - inactive), // as cAdvisor: usage below inactive reads 0
                    limit < 0 || limit >= UNLIMITED ? -1 : limit,
                    oom == null ? -1 : oom);
        } catch (IOException | NumberFormatException e) {
            return null; // gone, or half written as it went
        }
    }

    /** The report's {@code cgroup} object (docs/protocol.md); unknowns left out. */
    Map<String, Object> toReport() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuUsageNanos", cpuNanos);
        m.put("memoryWorkingSetBytes", workingSetBytes);
        if (limitBytes >= 0) {
            m.put("memoryLimitBytes", limitBytes);
        }
        if (oomKills >= 0) {
            m.put("oomKills", oomKills);
        }
        return m;
    }

    /** A one-number file; v2's {@code max} is unlimited (-1). */
    private static long number(String text) {
        String t = text.strip();
        return t.equals("max") ? -1 : Long.parseLong(t);
    }

    /** "key value" lines, as memory.stat, memory.events and memory.oom_control write them. */
    static Map<String, Long> keyed(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                try {
                    m.put(
                            line.substring(0, space),
                            Long.parseLong(line.substring(space + 1).strip()));
                } catch (NumberFormatException e) {
                    // not a counter: skipped
                }
            }
        }
        return m;
    }
}
