package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaasdDiscoveryTest {

    @Test
    void findsEachFunctionsLowestPid(@TempDir Path dir) throws IOException {
        Path proc = dir.resolve("proc");
        process(proc, 4100, "0::/openfaas-fn/figlet\n");
        process(proc, 4000, "0::/openfaas-fn/figlet\n");
        process(proc, 5000, "10:perf_event:/openfaas-fn/env\n2:cpuacct:/openfaas-fn/env\n0::/openfaas-fn/env\n");
        process(proc, 1, "0::/init.scope\n");
        process(proc, 77, "0::/openfaas/gateway\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("5000/environ"), "PATH=/usr/bin\0PERFAAS_VERSION=2.0.1\0HOME=/\0");

        List<Instance> found = faasd(proc, dir.resolve("cgroup")).scan();

        assertEquals(2, found.size());
        assertEquals(
                new Instance(
                        "env",
                        "env",
                        5000,
                        Cgroup.parse(
                                "2:cpuacct:/openfaas-fn/env\n10:perf_event:/openfaas-fn/env\n0::/openfaas-fn/env\n",
                                dir.resolve("cgroup")),
                        "2.0.1"),
                found.get(0));
        assertNull(found.get(1).version(), "figlet's environment says no version (no environ file)");
        assertEquals("figlet", found.get(1).function());
        assertEquals(4000, found.get(1).hostPid());
        assertEquals("openfaas-fn/figlet", found.get(1).cgroup().perfEvent());
    }

    /** A real process in the cgroup containerd gives a faasd function ({@code /openfaas-fn/<function>}). */
    @Test
    void findsARealProcessInAnOpenfaasFnCgroup() throws Exception {
        String function = "perfaas-test-" + ProcessHandle.current().pid();
        try (HostCgroups cgroups = HostCgroups.assumeWritable()) {
            long pid = cgroups.start("openfaas-fn/" + function);
            long child = cgroups.start("openfaas-fn/" + function); // a second process: the lowest pid is the instance's

            Instance found = faasd(Path.of("/proc"), Cgroup.ROOT).scan().stream()
                    .filter(i -> i.function().equals(function))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(function + " not found"));
            assertEquals(new Instance(function, function, Math.min(pid, child), Cgroup.of(pid), null), found);
            assertEquals("openfaas-fn/" + function, found.cgroup().perfEvent());
            assertTrue(found.cgroup().cpuNanos() >= 0, "its CPU is read from the cgroup: " + found.cgroup());
            assertEquals(
                    Set.of(Long.toString(pid), Long.toString(child)),
                    Set.copyOf(Files.readAllLines(found.cgroup().procs())));
        }
    }

    @Test
    void functionIsTheSegmentAfterOpenfaasFn() {
        FaasdDiscovery faasd = faasd(Path.of("/proc"), Cgroup.ROOT);
        assertEquals("pi", faasd.function("0::/openfaas-fn/pi\n"));
        assertEquals("pi", faasd.function("0::/openfaas-fn/pi/sub\n"));
        assertNull(faasd.function("0::/openfaas-fn/\n"));
        assertNull(faasd.function("0::/docker/abc\n"));
        assertNull(faasd.function("0::/staging/pi\n"), "a namespace it was not told");
    }

    @Test
    void aFunctionInAnotherNamespaceIsNamedWithIt() {
        FaasdDiscovery faasd =
                new FaasdDiscovery(Path.of("/proc"), Cgroup.ROOT, List.of("openfaas-fn", "staging"), "openfaas-fn");
        assertEquals("pi", faasd.function("0::/openfaas-fn/pi\n"));
        assertEquals("pi.staging", faasd.function("0::/staging/pi\n"));
        assertEquals("pi.staging", faasd.function("10:perf_event:/staging/pi\n0::/staging/pi\n"));
        assertNull(faasd.function("0::/openfaas/gateway\n"), "faasd's own services' namespace");
        assertNull(faasd.function("0::/system.slice/staging/pi\n"), "only at the root, as containerd puts it");
    }

    private static FaasdDiscovery faasd(Path proc, Path cgroupRoot) {
        return new FaasdDiscovery(proc, cgroupRoot, List.of(Discovery.DEFAULT_NAMESPACE), Discovery.DEFAULT_NAMESPACE);
    }

    private static void process(Path proc, long pid, String cgroup) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(d.resolve("cgroup"), cgroup);
    }
}
