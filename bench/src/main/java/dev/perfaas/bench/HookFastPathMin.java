package dev.perfaas.bench;

import dev.perfaas.hook.HookConfig;
import dev.perfaas.hook.TraceHook;
import java.net.URI;
import java.nio.file.Files;

/**
 * HookFastPathBench's untraced invocation for a shared machine: JMH's mean over 1 s iterations
 * counts the time other processes hold the cores, so under load it says more about them than
 * about the hook. The fastest of 300 batches of 100,000 {@code begin} + {@code end} is a batch that
 * ran unpreempted. The controller is unreachable: the policy stays off (fraction 0).
 */
public final class HookFastPathMin {
    private static final int BATCHES = 300;
    private static final int CALLS = 100_000;

    public static void main(String[] args) throws Exception {
        TraceHook hook = TraceHook.start(new HookConfig(
                "bench",
                "min",
                URI.create("http://127.0.0.1:9"),
                null,
                null,
                "perf",
                Files.createTempDirectory("perfaas-min"),
                true,
                null,
                0));
        long best = Long.MAX_VALUE;
        for (int b = 0; b < BATCHES; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                hook.end(hook.begin(), false);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf(
                "untraced begin + end, fastest of %d batches of %d: %.1f ns/op%n",
                BATCHES, CALLS, (double) best / CALLS);
        hook.close();
    }
}
