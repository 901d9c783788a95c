package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files as a Docker container's cgroups hold them on this machine kind (v1) and on a v2 host. */
class CgroupStatsTest {
    private static final String V1 =
            "4:memory:/docker/c1\n2:cpuacct:/docker/c1\n10:perf_event:/docker/c1\n0::/docker/c1\n";

    @Test
    void v1WorkingSetIsUsageLessTotalInactiveFile(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse(V1, root);
        assertEquals(root.resolve("memory/docker/c1"), c.memory());
        write(c.cpuUsage(), "65668669\n");
        write(c.memory().resolve("memory.usage_in_bytes"), "1048576\n");
        write(c.memory().resolve("memory.stat"), "cache 180224\ninactive_file 45056\ntotal_inactive_file 245760\n");
        write(c.memory().resolve("memory.limit_in_bytes"), "67108864\n");
        write(c.memory().resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        assertEquals(new CgroupStats(65_668_669, 1_048_576 - 245_760, 67_108_864, 2), CgroupStats.read(c));
    }

    @Test
    void v2ReadsCurrentInactiveFileMaxAndEvents(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse("0::/system.slice/docker-c2.scope\n", root);
        assertEquals(root.resolve("system.slice/docker-c2.scope"), c.memory());
        write(c.cpuUsage(), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        write(c.memory().resolve("memory.current"), "4096000\n");
        write(c.memory().resolve("memory.stat"), "anon 3000000\nfile 1000000\ninactive_file 96000\n");
        write(c.memory().resolve("memory.max"), "max\n");
        write(c.memory().resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n");
        CgroupStats s = CgroupStats.read(c);
        assertEquals(new CgroupStats(2_500_000, 4_000_000, -1, 1), s);
        assertEquals(
                Map.of("cpuUsageNanos", 2_500_000L, "memoryWorkingSetBytes", 4_000_000L, "oomKills", 1L),
                s.toReport(),
                "no limit: left out");
    }

    @Test
    void v1UnlimitedAndAKernelWithoutOomKillAreLeftOut(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse(V1, root);
        write(c.cpuUsage(), "1\n");
        write(c.memory().resolve("memory.usage_in_bytes"), "100\n");
        write(c.memory().resolve("memory.stat"), "total_inactive_file 400\n");
        write(c.memory().resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        write(c.memory().resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");
        CgroupStats s = CgroupStats.read(c);
        assertEquals(new CgroupStats(1, 0, -1, -1), s, "inactive above usage reads 0, as cAdvisor has it");
        assertEquals(Map.of("cpuUsageNanos", 1L, "memoryWorkingSetBytes", 0L), s.toReport());
    }

    @Test
    void aGoneCgroupReadsNull(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse(V1, root);
        assertNull(CgroupStats.read(c));
        write(c.cpuUsage(), "1\n");
        assertNull(CgroupStats.read(c), "CPU there, memory gone: removed between the reads");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
