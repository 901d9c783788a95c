package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a warm function costs while it waits, for BENCHMARKS.md: the pi image with perfaas (beside a
 * running controller, its default targets and windows) and with PERFAAS_DISABLED=true, side by side
 * at the same time, each container's CPU read from its cgroup (cpuacct.usage, ns): at rest (no
 * request) and at 1 request a second. Both are warmed first with the same requests, then left
 * {@link #SETTLE_SECONDS} so that an idle engine is parked. Seconds per phase:
 * -Dperfaas.idleSeconds (default 5, a smoke run that asserts every request answers, never a cost).
 */
class IdleCostFiguresTest {
    private static final int SECONDS = Integer.getInteger("perfaas.idleSeconds", 5);
    private static final int SETTLE_SECONDS = 25;
    private static final int WARM_REQUESTS = 300;
    private static final String PI = "/?terms=200000";

    @TempDir
    Path work;

    @BeforeEach
    void docker() {
        DockerEngine.assumeRunning();
    }

    @Test
    void printsTheCpuOfAWarmFunctionAtRestAndAtOneRequestASecond() throws Exception {
        try (ControllerContainer controller = ControllerContainer.start(work.resolve("controller"), Map.of());
                FunctionContainer on = FunctionContainer.start("pi-idle", controller.url, List.of(), Map.of());
                FunctionContainer off = FunctionContainer.start(
                        "pi-idle-off", controller.url, List.of(), Map.of("PERFAAS_DISABLED", "true"))) {
            for (int i = 0; i < WARM_REQUESTS; i++) {
                invoke(on);
                invoke(off);
            }
            Thread.sleep(SETTLE_SECONDS * 1000L);
            double[] rest = measure(on, off, false);
            double[] oneASecond = measure(on, off, true);
            System.out.printf(
                    "%n| warm pi, %d s a phase | perfaas, %% of a core | PERFAAS_DISABLED=true | difference |%n"
                            + "|---|---:|---:|---:|%n",
                    SECONDS);
            row("at rest", rest);
            row("1 request a second", oneASecond);
        }
    }

    /** CPU of each container over the phase, as a share of one core: {perfaas, disabled}. */
    private static double[] measure(FunctionContainer on, FunctionContainer off, boolean oneASecond) throws Exception {
        long onStart = cpuNanos(on.container);
        long offStart = cpuNanos(off.container);
        long t0 = System.nanoTime();
        for (int s = 1; s <= SECONDS; s++) {
            if (oneASecond) {
                invoke(on);
                invoke(off);
            }
            long next = t0 + s * 1_000_000_000L - System.nanoTime();
            if (next > 0) {
                Thread.sleep(next / 1_000_000, (int) (next % 1_000_000));
            }
        }
        double wall = System.nanoTime() - t0;
        return new double[] {(cpuNanos(on.container) - onStart) / wall, (cpuNanos(off.container) - offStart) / wall};
    }

    private static void invoke(FunctionContainer f) throws Exception {
        var r = Http.get(f.url.resolve(PI));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The container's CPU so far, from its cgroup v1 cpuacct controller (Docker's cgroupfs layout). */
    private static long cpuNanos(Container c) throws IOException {
        Path usage = Path.of("/sys/fs/cgroup/cpuacct/docker", c.inspect("{{.Id}}"), "cpuacct.usage");
        assertTrue(Files.isReadable(usage), "no cgroup v1 cpuacct for the container: " + usage);
        return Long.parseLong(Files.readString(usage).trim());
    }

    private static void row(String phase, double[] share) {
        System.out.printf(
                "| %s | %.4f %% | %.4f %% | %+.4f points |%n",
                phase, share[0] * 100, share[1] * 100, (share[0] - share[1]) * 100);
    }
}
