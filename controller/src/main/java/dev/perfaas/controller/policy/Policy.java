package dev.perfaas.controller.policy;

import java.util.List;

/**
 * What a hook is told to do: trace {@code fraction} of invocations, sample at {@code frequencyHz},
 * report every {@code windowSeconds}, ask again every {@code refreshSeconds}. A fraction of 0 stops
 * tracing. {@code version} lets a hook tell a changed policy from the one it holds.
 */
public record Policy(
        double fraction, int frequencyHz, int windowSeconds, int refreshSeconds, String engine, long version) {

    /** The sampling engines a hook knows (perfaas.policy.engine). */
    public static final List<String> ENGINES = List.of("async", "async-cpu", "perf", "jfr");

    public Policy {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be 0 or in (0, 1], got " + fraction);
        }
        requirePositive("frequencyHz", frequencyHz);
        requirePositive("windowSeconds", windowSeconds);
        requirePositive("refreshSeconds", refreshSeconds);
        requirePositive("version", version);
        if (!ENGINES.contains(engine)) {
            throw new IllegalArgumentException("engine must be one of " + ENGINES + ", got " + engine);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive integer, got " + value);
        }
    }
}
