package dev.perfaas.hook;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** CPU window by window, for the report: the process's, the hook's, perf's, and loading the engine. Window thread only. */
final class WindowCpu {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final CpuAccount hookCpu;
    private final PerfCpuAccount perfCpu = new PerfCpuAccount();
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

    /** CPU since the last call; {@code finished}: the sampler the window cut, or null; {@code running}: the one going on. */
    Since sinceLastWindow(Sampler finished, Sampler running) {
        long processCpu = OS.getProcessCpuTime();
        long hook = hookCpu.totalNanos();
        Since since = new Since(
                engineLoadCpu,
                processCpu - lastProcessCpu,
                hook - lastHookCpu,
                perfCpu.sinceLastWindow(finished, running));
        engineLoadCpu = 0;
        lastProcessCpu = processCpu;
        lastHookCpu = hook;
        return since;
    }
}
