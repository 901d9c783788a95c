package dev.perfaas.bench;

import dev.perfaas.controller.profiles.PerfScriptCheck;
import dev.perfaas.launcher.Flags;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link PerfScriptCheck} alone costs an upload, in MB checked per CPU-second of the checking
 * thread: the 1 MB body of {@link ControllerCapacityBench}, fed in the store's 64 KiB reads. Thread
 * CPU time rather than wall time, so the figure holds on a shared machine; run it against two builds'
 * controller classes (the classpath decides) to compare them.
 *
 * <p>Args: {@code [--seconds N]} of measured thread CPU, after as much again of warm-up.
 */
public final class UploadCheckBench {
    private static final int READ = 64 * 1024;

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        double seconds = Double.parseDouble(Flags.take(args, "--seconds", "5"));
        byte[] body = ControllerCapacityBench.profile(1 << 20);
        run(body, seconds); // warm-up: the JIT compiles the loop
        double[] run = run(body, seconds);
        System.out.printf(
                "PerfScriptCheck: %.0f MB per CPU-second (%.1f MB checked in %.2f s of thread CPU)%n",
                run[0] / run[1], run[0], run[1]);
    }

    /** Checks the body over and over for {@code seconds} of thread CPU: MB checked, CPU seconds used. */
    private static double[] run(byte[] body, double seconds) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = cpu.getCurrentThreadCpuTime();
        long used = 0;
        long checked = 0;
        while (used < seconds * 1e9) {
            if (check(body) == 0) {
                throw new IllegalStateException("the body held no sample");
            }
            checked += body.length;
            used = cpu.getCurrentThreadCpuTime() - start;
        }
        return new double[] {checked / 1e6, used / 1e9};
    }

    private static long check(byte[] body) {
        PerfScriptCheck check = new PerfScriptCheck();
        for (int at = 0; at < body.length; at += READ) {
            check.accept(body, at, Math.min(READ, body.length - at));
        }
        check.finish();
        return check.samples();
    }
}
