package dev.perfaas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuCrossoverTest {
    @Test
    void theTwoHalvesCancelADifferenceBetweenTheCpus() {
        // B costs 5 % more; CPU 1 runs everything 30 % slower than CPU 0 for the whole round.
        double first = 1.05 * 1.0 / 1.3; // B on CPU 0, A on CPU 1
        double second = 1.05 * 1.3 / 1.0; // swapped
        assertEquals(1.05, CpuCrossover.ratio(first, second), 1e-12);
        assertEquals(1.0, CpuCrossover.ratio(1.0, 1.0), 1e-12);
    }

    @Test
    void pinsEveryThreadOfAProcessToOneCpu() throws Exception {
        assertNull(CpuCrossover.unavailable(), "the benchmark machine has two CPUs and util-linux's taskset");
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            for (int cpu = 0; cpu < 2; cpu++) {
                CpuCrossover.pin(p.pid(), cpu);
                String status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"));
                assertEquals(
                        Integer.toString(cpu),
                        status.lines()
                                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                                .findFirst()
                                .orElseThrow()
                                .substring("Cpus_allowed_list:".length())
                                .trim());
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
