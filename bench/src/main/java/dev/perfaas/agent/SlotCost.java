package dev.perfaas.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What one enable/disable slot costs: the agent's own {@link PerfRecord} on the sampled container's
 * cgroup (under load), toggled on and off {@code pairs} times, each toggle waiting for perf's ack as
 * the agent's do. Then the same perf held disabled as long, for its idle CPU. From the cost of a pair
 * and the expected pairs per second (a slot is enabled after a disabled one with probability
 * f(1-f)), the cost of each slot length, and the spread of the sampled share of a window it buys.
 */
final class SlotCost {
    private static final int[] SLOT_MILLIS = {10, 100, 1000};

    private SlotCost() {}

    static void run(GoTwins twins, Path dir, int pairs) throws Exception {
        System.out.printf(
                "%nslots: %d enable+disable pairs (each waiting for perf's ack) of perf record -a -G on the"
                        + " sampled container's cgroup%n",
                pairs);
        double pairCostMillis = 0;
        for (int hz : new int[] {99, 997}) {
            pairCostMillis = Math.max(pairCostMillis, pairs(twins, dir.resolve("perf-" + hz), hz, pairs));
        }
        System.out.printf(
                "cost of the toggles at the dearer pair (%.3f ms of CPU), and the spread of the sampled share of"
                        + " a 60 s window (binomial: sd/mean = sqrt((1-f)/(f x slots))):%n",
                pairCostMillis);
        System.out.printf(
                "%9s %22s %22s %18s %18s%n",
                "slot", "CPU at f=0.5 (% core)", "CPU at f=0.05 (% core)", "spread at f=0.05", "spread at f=0.01");
        for (int slot : SLOT_MILLIS) {
            double perSecond = 1000.0 / slot;
            double slots = 60 * perSecond;
            System.out.printf(
                    "%6d ms %21.3f%% %21.3f%% %17.0f%% %17.0f%%%n",
                    slot,
                    100 * 0.25 * perSecond * pairCostMillis / 1000,
                    100 * 0.05 * 0.95 * perSecond * pairCostMillis / 1000,
                    100 * Math.sqrt(0.95 / (0.05 * slots)),
                    100 * Math.sqrt(0.99 / (0.01 * slots)));
        }
    }

    /** Toggles one perf; prints and returns the CPU of a pair (perf's and the agent's threads'), in ms. */
    private static double pairs(GoTwins twins, Path dir, int hz, int pairs) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PerfRecord perf = PerfRecord.start("perf", twins.sampled.cgroup.perfEvent(), hz, dir)) {
            for (int i = 0; i < 20; i++) { // warm the path
                perf.enable(true);
                perf.enable(false);
            }
            long[] roundTrips = new long[pairs];
            long ackThread = ackThreadId();
            long perf0 = perf.cpuNanos();
            long me0 = threads.getCurrentThreadCpuTime();
            long ack0 = threads.getThreadCpuTime(ackThread);
            long start = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                long t = System.nanoTime();
                perf.enable(true);
                perf.enable(false);
                roundTrips[i] = System.nanoTime() - t;
            }
            long wall = System.nanoTime() - start;
            long toggling = perf.cpuNanos() - perf0;
            long agentThreads = threads.getCurrentThreadCpuTime() - me0 + threads.getThreadCpuTime(ackThread) - ack0;
            long idle0 = perf.cpuNanos();
            Thread.sleep(Math.max(1, wall / 1_000_000));
            long idle = perf.cpuNanos() - idle0;
            Arrays.sort(roundTrips);
            double perfPerPair = (toggling - idle) / 1e6 / pairs;
            double agentPerPair = agentThreads / 1e6 / pairs;
            System.out.printf(
                    "slots at %d Hz: enable+disable round trip median %.3f ms (p90 %.3f, p99 %.3f); perf record"
                            + " CPU %.3f ms per pair (%.0f ms toggling, %.0f ms idle as long, %.1f s); agent"
                            + " threads %.3f ms per pair%n",
                    hz,
                    roundTrips[pairs / 2] / 1e6,
                    roundTrips[(int) (pairs * 0.9)] / 1e6,
                    roundTrips[(int) (pairs * 0.99)] / 1e6,
                    perfPerPair,
                    toggling / 1e6,
                    idle / 1e6,
                    wall / 1e9,
                    agentPerPair);
            return Math.max(0, perfPerPair) + agentPerPair;
        }
    }

    /** The thread that reads perf's acks (PerfRecord's reader, by its name). */
    private static long ackThreadId() {
        List<Thread> readers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("perfaas-agent-perf-ack"))
                .toList();
        if (readers.size() != 1) {
            throw new IllegalStateException("expected one perf ack reader thread, found " + readers.size());
        }
        return readers.get(0).getId();
    }
}
