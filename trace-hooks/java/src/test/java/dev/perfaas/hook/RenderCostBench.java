package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a window's profile costs the function to make (issue 22, item 0): the CPU of rendering a real
 * async-profiler recording ({@link JfrScript}) and the JIT compilation that rendering causes, which a
 * function pays window after window while the code a close runs is still being compiled. This JVM
 * records busy threads traced as the hook traces them; a fresh JVM then renders that recording again
 * and again with a pause between, as windows would, and reads its own compiler threads' CPU.
 * Args: [seconds recorded] [Hz] [renders] [pause ms].
 */
public final class RenderCostBench {
    private static final int THREADS = 4;
    private static volatile double sink;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("render")) {
            render(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int hz = args.length > 1 ? Integer.parseInt(args[1]) : 19;
        int renders = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        long pause = args.length > 3 ? Long.parseLong(args[3]) : 100;
        Path dir = Files.createTempDirectory("perfaas-render");
        Path recording = record(dir, seconds, hz);
        System.out.printf(
                "render cost: a recording of %d traced threads, %d s at %d Hz (%d bytes), rendered %d times,"
                        + " %d ms apart, in a fresh JVM%n",
                THREADS, seconds, hz, Files.size(recording), renders, pause);
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        RenderCostBench.class.getName(),
                        "render",
                        recording.toString(),
                        Integer.toString(renders),
                        Long.toString(pause),
                        Integer.toString(hz))
                .inheritIO()
                .start();
        int exit = p.waitFor();
        SpoolFiles.deleteQuietly(recording);
        Files.deleteIfExists(dir);
        if (exit != 0) {
            throw new IllegalStateException("the rendering JVM exited with " + exit);
        }
    }

    /** A recording as the engine writes it, of threads that run traced invocations by turns with untraced work. */
    private static Path record(Path dir, int seconds, int hz) throws Exception {
        AsyncSession s = AsyncSession.start(hz, dir, "bench", new CpuAccount());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            long start = System.nanoTime();
                            s.enter();
                            sink += deep(25, 200_000);
                            s.leave(start, System.nanoTime());
                            sink += work(100_000);
                        }
                    },
                    "request-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        s.stop();
        Path copy = Files.copy(dir.resolve("bench.jfr"), dir.resolve("recording.jfr"));
        SpoolFiles.deleteQuietly(dir.resolve("bench.jfr"));
        return copy;
    }

    private static void render(Path recording, int renders, long pause, int hz) throws Exception {
        Map<Long, TracedIntervals.Lookup> everything = new HashMap<>();
        TracedIntervals.Lookup always =
                new TracedIntervals.Lookup(new long[] {Long.MIN_VALUE}, new long[] {Long.MAX_VALUE});
        for (long id = 0; id < 10_000; id++) {
            everything.put(id, always);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long realtimeMinusMonotonic = JfrScript.realtimeMinusMonotonicNanos();
        Path out = recording.resolveSibling("rendered.perf.gz");
        Thread.sleep(1000); // the JVM's own start-up compiles settle
        long[] cpu = new long[renders];
        long[] compiler = new long[renders];
        long samples = 0;
        for (int i = 0; i < renders; i++) {
            long c0 = compilerNanos();
            long t0 = mx.getCurrentThreadCpuTime();
            samples = JfrScript.render(
                            recording,
                            out,
                            everything,
                            realtimeMinusMonotonic,
                            JfrScript.Clock.WALL,
                            AsyncSession.intervalMicros(hz) * 1_000L,
                            "bench")
                    .samples();
            cpu[i] = mx.getCurrentThreadCpuTime() - t0;
            Thread.sleep(pause); // the compiles a render queued run meanwhile
            compiler[i] = compilerNanos() - c0;
        }
        SpoolFiles.deleteQuietly(out);
        StringBuilder each = new StringBuilder("  each render, ms of CPU:");
        for (long c : cpu) {
            each.append(String.format(" %.1f", c / 1e6));
        }
        System.out.println(each);
        int half = renders / 2;
        long[] late = Arrays.copyOfRange(cpu, half, renders);
        Arrays.sort(late);
        System.out.printf(
                "  %d samples a render; first render %.1f ms of CPU (JIT after it %.1f ms); later renders' median"
                        + " %.2f ms (%.1f us a sample)%n",
                samples,
                cpu[0] / 1e6,
                compiler[0] / 1e6,
                late[late.length / 2] / 1e6,
                late[late.length / 2] / 1e3 / samples);
        System.out.printf(
                "  over all %d renders: render %.0f ms, JIT %.0f ms; over the last %d: JIT %.1f ms a render%n",
                renders,
                sum(cpu, 0, renders) / 1e6,
                sum(compiler, 0, renders) / 1e6,
                renders - half,
                sum(compiler, half, renders) / 1e6 / (renders - half));
    }

    /** The CPU of this JVM's JIT compiler threads so far (schedstat, ns). */
    private static long compilerNanos() {
        long total = 0;
        for (long tid : ProcCpu.compilerThreadIds()) {
            total += Math.max(0, ProcCpu.threadRunNanos(tid)); // a compiler thread may end meanwhile
        }
        return total;
    }

    private static long sum(long[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    private static double work(int n) {
        double s = 0;
        for (int i = 1; i < n; i++) {
            s += Math.sqrt(i) * Math.sin(i);
        }
        return s;
    }

    /** A stack ~25 frames deeper than the thread's, as a function's handler runs under a server. */
    private static double deep(int depth, int n) {
        return depth == 0 ? work(n) : deep(depth - 1, n) + 1;
    }
}
