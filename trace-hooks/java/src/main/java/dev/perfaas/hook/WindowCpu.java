package dev.perfaas.hook;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * CPU window by window, for the report: the process's, the hook's (its threads and the JIT compiles
 * its closes cause, {@link HookJit}), perf's, and loading the engine. Window thread only.
 */
final class WindowCpu {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final CpuAccount hookCpu;
    private final PerfCpuAccount perfCpu = new PerfCpuAccount();
    private final HookJit jit = new HookJit();
    /** The JIT's threads, found again at each close (the JVM may add some under load). */
    private Set<Long> compilers = Set.of();

    private long lastProcessCpu = OS.getProcessCpuTime();
    private long lastHookCpu;
    /** CPU of loading the engine at start, once per process: reported apart, not as running cost. */
    private long engineLoadCpu;

    record Since(long engineLoadNanos, long processNanos, long hookNanos, long perfNanos) {}

    WindowCpu(CpuAccount hookCpu) {
        this.hookCpu = hookCpu;
    }

    /**
     * Runs the engine's load, counting its CPU as engineLoadCpuNanos of the next report, apart
     * from the hook's CPU, so the control law, which extrapolates the tracer's running cost, does
     * not take it for a cost of sampling.
     */
    void load(Runnable engineLoad) {
        long before = hookCpu.totalNanos();
        engineLoad.run();
        engineLoadCpu = hookCpu.totalNanos() - before;
        lastHookCpu += engineLoadCpu;
        lastProcessCpu += engineLoadCpu;
    }

    /** A window's close begins: the JIT compiles it causes are counted from here ({@link HookJit}). */
    void closeStarts(long nowNanos) {
        compilers = ProcCpu.compilerThreadIds();
        jit.workStarts(compilerNanos(), nowNanos);
    }

    /** Every tick: ends a close's JIT span once it is over. */
    void tick(long nowNanos) {
        if (jit.settles(nowNanos)) {
            jit.settle(compilerNanos(), nowNanos);
        }
    }

    /** A close's JIT span waits for its reading: ticks must go on until it {@link HookJit#settles}. */
    boolean jitSpanOpen() {
        return jit.open();
    }

    private long compilerNanos() {
        long sum = 0;
        for (long tid : compilers) {
            sum += Math.max(0, ProcCpu.threadRunNanos(tid));
        }
        return sum;
    }

    /** CPU since the last call; {@code finished}: the sampler the window cut, or null; {@code running}: the one going on. */
    Since sinceLastWindow(Sampler finished, Sampler running) {
        long processCpu = OS.getProcessCpuTime();
        long hook = hookCpu.totalNanos();
        Since since = new Since(
                engineLoadCpu,
                processCpu - lastProcessCpu,
                hook - lastHookCpu + jit.take(),
                perfCpu.sinceLastWindow(finished, running));
        engineLoadCpu = 0;
        lastProcessCpu = processCpu;
        lastHookCpu = hook;
        return since;
    }
}
