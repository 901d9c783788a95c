package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftAloneTest {
    private static final Path NO_CGROUPS = Path.of("/nonexistent");

    @Test
    void aTemplateFunctionIsItsHooksUnlessItHandsItToTheNode() {
        assertTrue(LeftAlone.profilesItself("PATH=/bin\0PERFAAS_FUNCTION=pi\0mode=http\0"));
        assertFalse(LeftAlone.profilesItself("PERFAAS_FUNCTION=pi\0PERFAAS_ENGINE=host-perf\0"));
        assertTrue(LeftAlone.profilesItself("PERFAAS_ENGINE=perf\0PERFAAS_FUNCTION=pi\0"));
        assertFalse(LeftAlone.profilesItself("PORT=8080\0NODE_OPTIONS=--perf-basic-prof\0"));
        assertFalse(LeftAlone.profilesItself("X_PERFAAS_FUNCTION=pi\0"), "only the hook's own variable");
    }

    @Test
    void reasonsComeFromTheCgroupAndTheFirstProcesssEnvironment(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("7"));
        Files.writeString(proc.resolve("7/environ"), "PERFAAS_FUNCTION=pi\0");
        Files.createDirectories(proc.resolve("8"));
        Files.writeString(proc.resolve("8/environ"), "PORT=8080\0");

        assertTrue(LeftAlone.reason(instance(7, "0::/docker/abc\n"), proc).contains("perfaas hook"));
        assertNull(LeftAlone.reason(instance(8, "0::/docker/abc\n"), proc));
        assertNull(LeftAlone.reason(instance(9, "0::/docker/abc\n"), proc), "gone: nothing says a hook profiles it");
        assertTrue(LeftAlone.reason(instance(8, "10:perf_event:/\n0::/docker/abc\n"), proc)
                .contains("root perf_event"));
        assertTrue(LeftAlone.reason(instance(8, "0::/../../kubepods/pod1/abc\n"), proc)
                .contains("cgroup namespace"));
    }

    private static Instance instance(long pid, String cgroupText) {
        return new Instance("fn", "i", pid, Cgroup.parse(cgroupText, NO_CGROUPS), null);
    }
}
