package dev.perfaas.hook;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;

/**
 * CPU per kept sample against its floor (issue 22, item 0), in one JVM, phases alternated: a busy
 * thread does fixed units of work, and the process's CPU per unit with each sampler is set against
 * the same without one. A sampler's cost per sample is that extra CPU times the units done, over
 * the samples it took.
 * <ul>
 * <li>floor: async-profiler's CPU timer ({@code ctimer}: a kernel timer per thread on its CPU time signals it) on
 *     the busy thread, no filter, nothing written: one signal and one stack walk a sample;</li>
 * <li>wall, filter: the engine's sampling mode (its timer thread walks the JVM's threads and signals
 *     those in the filter), nothing written;</li>
 * <li>engine: the hook's {@link AsyncSession} as it runs (wall clock, filter, JFR recording), the
 *     phase one traced invocation, then its recording rendered ({@link InProcessSession#finish});</li>
 * <li>engine cpu: the same with its CPU-time timers (engine {@code async-cpu}).</li>
 * </ul>
 * Args: [seconds per phase] [rounds].
 */
public final class SampleFloorBench {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static volatile long sink;

    private interface Sampling {
        /** Runs {@code work} under this sampler; the samples it kept. */
        long run(Runnable work) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("perfaas-floor");
        AsyncProfiler profiler = AsyncSession.load();
        String[] names = {
            "none",
            "floor: ctimer 997 Hz",
            "wall 997 Hz, filter",
            "engine 19 Hz",
            "engine 99 Hz",
            "engine 997 Hz",
            "engine cpu 19 Hz",
            "engine cpu 99 Hz",
            "engine cpu 997 Hz"
        };
        Sampling[] modes = {
            work -> {
                work.run();
                return 0;
            },
            work -> raw(
                    profiler, "start,event=ctimer,interval=" + AsyncSession.intervalMicros(997) + "us", work, false),
            work -> raw(
                    profiler,
                    "start,event=wall,interval=" + AsyncSession.intervalMicros(997) + "us,filter",
                    work,
                    true),
            work -> engine(dir, false, 19, work),
            work -> engine(dir, false, 99, work),
            work -> engine(dir, false, 997, work),
            work -> engine(dir, true, 19, work),
            work -> engine(dir, true, 99, work),
            work -> engine(dir, true, 997, work)
        };
        long[] cpu = new long[modes.length];
        long[] units = new long[modes.length];
        long[] samples = new long[modes.length];
        spin(seconds); // JIT warm-up of the work
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < modes.length; m++) {
                long[] done = new long[1];
                long c0 = OS.getProcessCpuTime();
                samples[m] += modes[m].run(() -> done[0] = spin(seconds));
                cpu[m] += OS.getProcessCpuTime() - c0;
                units[m] += done[0];
            }
        }
        double base = cpu[0] / (double) units[0];
        System.out.printf(
                "CPU per kept sample, %d rounds of %d s a mode, alternated, one busy thread:%n", rounds, seconds);
        System.out.printf(
                "%-22s %14s %10s %12s %16s%n", "sampler", "CPU/unit, us", "extra", "samples/s", "CPU per sample");
        for (int m = 0; m < modes.length; m++) {
            double perUnit = cpu[m] / (double) units[m];
            double extraNanos = (perUnit - base) * units[m];
            System.out.printf(
                    "%-22s %14.3f %9.2f%% %12.1f %16s%n",
                    names[m],
                    perUnit / 1e3,
                    100 * (perUnit / base - 1),
                    samples[m] / (double) (rounds * seconds),
                    samples[m] == 0 ? "-" : String.format("%.1f us", extraNanos / samples[m] / 1e3));
        }
    }

    private static long raw(AsyncProfiler profiler, String start, Runnable work, boolean filter) throws Exception {
        profiler.execute(start);
        if (filter) {
            profiler.addThread(Thread.currentThread());
        }
        work.run();
        long samples = profiler.getSamples();
        profiler.stop();
        return samples;
    }

    private static long engine(Path dir, boolean cpuTime, int hz, Runnable work) throws Exception {
        AsyncSession s = AsyncSession.start(cpuTime, hz, dir, "floor", new CpuAccount());
        long t0 = System.nanoTime();
        s.enter();
        work.run();
        s.leave(t0, System.nanoTime());
        ProfileFile p = s.finish();
        if (p.file() != null) {
            Files.delete(p.file());
        }
        return p.samplesInTraced();
    }

    /** Units of fixed work (~0.1 ms each) done in {@code seconds}. */
    private static long spin(int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long units = 0;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 50_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            units++;
        }
        sink = x;
        return units;
    }
}
