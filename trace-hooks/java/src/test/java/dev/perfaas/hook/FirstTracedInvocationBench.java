package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a fresh JVM pays the first time async-profiler is used, each step once, as the hook's window
 * thread and the first traced invocation meet them: loading the library (CPU and wall), starting a
 * recording, the first traced invocation's enter + leave (the filter's add and remove, cold) against
 * the median of the next ones, and the first rendering of a recording. Run it in a new JVM per
 * measurement ({@code ./perfaas bench} does not; BENCHMARKS.md gives the loop). Args: [frequencyHz].
 */
public final class FirstTracedInvocationBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int hz = args.length > 0 ? Integer.parseInt(args[0]) : 19;
        Path dir = Files.createTempDirectory("perfaas-first");
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        AsyncSession.load();
        long loadWall = System.nanoTime() - t0;
        long loadCpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        t0 = System.nanoTime();
        AsyncSession s = AsyncSession.start(hz, dir, "first", new CpuAccount());
        long startWall = System.nanoTime() - t0;
        long firstCpu = THREADS.getCurrentThreadCpuTime();
        long first = pair(s);
        firstCpu = THREADS.getCurrentThreadCpuTime() - firstCpu;
        long[] next = new long[200];
        for (int i = 0; i < next.length; i++) {
            next[i] = pair(s);
        }
        Arrays.sort(next);
        long traced = System.nanoTime(); // a traced stretch, so the recording has samples to render
        s.enter();
        PerfSessionTest.burn(500_000_000L);
        s.leave(traced, System.nanoTime());
        t0 = System.nanoTime();
        ProfileFile profile = s.finish();
        long renderWall = System.nanoTime() - t0;
        System.out.printf(
                "load %.1f ms wall / %.1f ms CPU; start %.1f ms; first traced enter+leave %.1f us (%.1f us CPU), next median %.1f us;"
                        + " first rendering %.1f ms (%d samples)%n",
                loadWall / 1e6,
                loadCpu / 1e6,
                startWall / 1e6,
                first / 1e3,
                firstCpu / 1e3,
                next[next.length / 2] / 1e3,
                renderWall / 1e6,
                profile.samples());
    }

    /** One traced invocation's enter and leave around no work: what the request path adds. */
    private static long pair(AsyncSession s) {
        long t0 = System.nanoTime();
        s.enter();
        long t1 = System.nanoTime();
        s.leave(t0, t1);
        return System.nanoTime() - t0;
    }
}
