package dev.perfaas.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A crossover for the paired benchmark: A and B pinned to one CPU each, swapped every half round.
 * The scheduler keeps each busy JVM on one CPU for minutes, so on a shared VM, where one virtual
 * CPU may run slower than the other for a while (its host core shared, say), a side's figure
 * would carry its CPU's speed. With each side half a round on each CPU, the geometric mean of the
 * two halves' B/A ratios cancels a speed difference that holds through the round:
 * (b s0 / a s1) (b s1 / a s0) = (b / a)^2. It does not cancel what differs inside a JVM, such as
 * where C2 compiled the hot loop (BENCHMARKS.md, section 9). Pins with util-linux's
 * {@code taskset}; threads a pinned thread starts inherit its CPU.
 */
final class CpuCrossover {
    private CpuCrossover() {}

    /** Why a crossover cannot run here, or null when it can: two CPUs and taskset. */
    static String unavailable() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return "one CPU";
        }
        try {
            taskset("-p", Long.toString(ProcessHandle.current().pid()));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Pins every thread of {@code pid} to CPU {@code cpu}. */
    static void pin(long pid, int cpu) throws IOException, InterruptedException {
        taskset("-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid));
    }

    /** Runs taskset (util-linux), failing when it cannot start, fails or takes over 10 s. */
    private static void taskset(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    /** B over A from the two halves' CPU per request, B on each CPU once: their geometric mean. */
    static double ratio(double bOverAFirstHalf, double bOverASecondHalf) {
        return Math.sqrt(bOverAFirstHalf * bOverASecondHalf);
    }
}
