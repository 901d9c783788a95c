package dev.perfaas.controller.policy;

/**
 * What a hook is told to do: trace {@code fraction} of invocations, sample at {@code frequencyHz},
 * report every {@code windowSeconds}, ask again every {@code refreshSeconds}. A fraction of 0 stops
 * tracing. {@code version} lets a hook tell a changed policy from the one it holds.
 */
public record Policy(double fraction, int frequencyHz, int windowSeconds, int refreshSeconds,
        String engine, long version) {

    public Policy {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be 0 or in (0, 1], got " + fraction);
        }
        requirePositive("frequencyHz", frequencyHz);
        requirePositive("windowSeconds", windowSeconds);
        requirePositive("refreshSeconds", refreshSeconds);
        requirePositive("version", version);
        if (engine == null || engine.isBlank()) {
            throw new IllegalArgumentException("engine must be named, e.g. \"perf\"");
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive integer, got " + value);
        }
    }
}
