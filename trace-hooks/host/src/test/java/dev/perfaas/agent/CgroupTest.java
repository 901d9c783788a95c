package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupTest {
    private static final String ID = "e7bcb6de849f9ca2d59030d1494b6cf80bfc798e68979739d214a37146af5e8c";

    /** /proc/<pid>/cgroup of a Docker container on this machine kind once perf_event is mounted. */
    private static final String HYBRID = """
            10:perf_event:/docker/%1$s
            9:name=systemd:/docker/%1$s
            4:memory:/docker/%1$s
            2:cpuacct:/docker/%1$s
            1:cpu:/docker/%1$s
            0::/docker/%1$s
            """.formatted(ID);

    @Test
    void hybridTakesTheV1PerfEventAndCpuacctLines(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse(HYBRID, root);
        assertEquals("docker/" + ID, c.perfEvent());
        assertEquals(root.resolve("cpuacct/docker/" + ID + "/cpuacct.usage"), c.cpuUsage());
        assertEquals(root.resolve("cpuacct/docker/" + ID + "/cgroup.procs"), c.procs());
        Files.createDirectories(c.cpuUsage().getParent());
        Files.writeString(c.cpuUsage(), "123456789\n");
        assertEquals(123_456_789L, c.cpuNanos());
    }

    @Test
    void unifiedTakesTheZeroLineAndCpuStat(@TempDir Path root) throws IOException {
        Cgroup c = Cgroup.parse("0::/system.slice/docker-" + ID + ".scope\n", root);
        assertEquals("system.slice/docker-" + ID + ".scope", c.perfEvent());
        Files.createDirectories(c.cpuUsage().getParent());
        Files.writeString(c.cpuUsage(), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        assertEquals(2_500_000L, c.cpuNanos());
    }

    @Test
    void aCombinedV1LineCounts(@TempDir Path root) {
        Cgroup c = Cgroup.parse("3:cpu,cpuacct:/kubepods/pod1/c0\n2:perf_event:/kubepods/pod1/c0\n", root);
        assertEquals("kubepods/pod1/c0", c.perfEvent());
        assertEquals(root.resolve("cpuacct/kubepods/pod1/c0/cpuacct.usage"), c.cpuUsage());
    }

    @Test
    void aGoneCgroupHasNoCpu(@TempDir Path root) {
        assertEquals(-1, Cgroup.parse(HYBRID, root).cpuNanos());
    }

    @Test
    void noUsableLineIsRefused(@TempDir Path root) {
        assertThrows(IllegalArgumentException.class, () -> Cgroup.parse("4:memory:/docker/x\n", root));
    }

    @Test
    void perfEventUnmountedIsHierarchyZeroAndEnabled() {
        String unmounted = "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t90\t1\nperf_event\t0\t1\t1\n";
        assertEquals(true, PerfEventMount.unmounted(unmounted));
        assertEquals(false, PerfEventMount.unmounted(unmounted.replace("perf_event\t0", "perf_event\t10")));
        assertEquals(false, PerfEventMount.unmounted(unmounted.replace("perf_event\t0\t1\t1", "perf_event\t0\t1\t0")));
    }
}
