package dev.perfaas.controller.control;

import java.util.ArrayList;
import java.util.List;

/**
 * What an operator asks of the profiler for one function.
 *
 * @param maxOverhead      ceiling on tracer CPU / function CPU (0.01 = 1 %)
 * @param samplesPerMinute stack samples wanted per minute, over all instances
 * @param minFrequencyHz   lowest perf frequency the law may use
 * @param maxFrequencyHz   highest perf frequency the law may use
 * @param minFraction      smallest fraction of invocations traced; the fraction stays in [minFraction,
 *                         {@link #MAX_FRACTION}] (a minFraction above that counts as that)
 * @param slowCallMillis   an invocation running longer has its profile kept as a slow call; null: the
 *                         function's measured p99 (see SlowCallRule). The control law does not read it.
 */
public record Targets(
        double maxOverhead,
        double samplesPerMinute,
        int minFrequencyHz,
        int maxFrequencyHz,
        double minFraction,
        Long slowCallMillis) {

    /**
     * The highest fraction the law asks for: the hook keeps at least a fifth of the invocations
     * untraced as its control group (the trace hook's Policy.MIN_CONTROL_SHARE, docs/design.md
     * section 1), so the extra CPU of tracing is measured at every fraction; a policy above this
     * would be traced at this anyway.
     */
    public static final double MAX_FRACTION = 0.8;

    /** An hour: a call slower than that is not slow, it is hung, and its capture stops at a minute anyway. */
    public static final long MAX_SLOW_CALL_MILLIS = 3_600_000;

    /** The control law's five targets, slow calls at the measured p99. */
    public Targets(
            double maxOverhead, double samplesPerMinute, int minFrequencyHz, int maxFrequencyHz, double minFraction) {
        this(maxOverhead, samplesPerMinute, minFrequencyHz, maxFrequencyHz, minFraction, null);
    }

    /** 1 % overhead and 10 samples a second: a flame graph a minute, cheap enough to leave on. */
    public static final Targets DEFAULT = new Targets(0.01, 600, 19, 997, 0.001);

    /**
     * 10^8 a minute: about what a hundred 16-core instances give at the ladder's top rung, so no
     * target above it could be met; the bound keeps the law's arithmetic finite (1e308 a minute is
     * infinity over any longer period).
     */
    public static final double MAX_SAMPLES_PER_MINUTE = 1e8;
    /** 100 kHz: two orders of magnitude above the ladder's top rung; perf's own ceiling is lower still. */
    public static final int MAX_FREQUENCY_HZ = 100_000;

    /** Human-readable problems, empty when the targets are usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        // Above 50 % the "profiler" would be the workload; at 0 nothing could ever be traced.
        if (!(maxOverhead > 0 && maxOverhead <= 0.5)) {
            problems.add("maxOverhead must be in (0, 0.5], was " + maxOverhead);
        }
        if (!(samplesPerMinute > 0 && samplesPerMinute <= MAX_SAMPLES_PER_MINUTE)) {
            problems.add("samplesPerMinute must be a positive number at most " + (long) MAX_SAMPLES_PER_MINUTE
                    + ", was " + samplesPerMinute);
        }
        if (minFrequencyHz < 1) {
            problems.add("minFrequencyHz must be at least 1, was " + minFrequencyHz);
        }
        if (maxFrequencyHz > MAX_FREQUENCY_HZ) {
            problems.add("maxFrequencyHz must be at most " + MAX_FREQUENCY_HZ + ", was " + maxFrequencyHz);
        }
        if (minFrequencyHz > maxFrequencyHz) {
            problems.add(
                    "minFrequencyHz (" + minFrequencyHz + ") must not exceed maxFrequencyHz (" + maxFrequencyHz + ")");
        } else if (!FrequencyLadder.hasRungWithin(minFrequencyHz, maxFrequencyHz)) {
            problems.add("no ladder frequency " + FrequencyLadder.RUNGS + " lies in [" + minFrequencyHz + ", "
                    + maxFrequencyHz + "]");
        }
        if (!(minFraction > 0 && minFraction <= 1)) {
            problems.add("minFraction must be in (0, 1], was " + minFraction);
        }
        if (slowCallMillis != null && (slowCallMillis < 1 || slowCallMillis > MAX_SLOW_CALL_MILLIS)) {
            problems.add("slowCallMillis must be null (p99 of the function) or in [1, " + MAX_SLOW_CALL_MILLIS
                    + "] ms, was " + slowCallMillis);
        }
        return problems;
    }

    /** The fraction's lower bound as the law applies it: minFraction, at most {@link #MAX_FRACTION}. */
    double fractionFloor() {
        return Math.min(minFraction, MAX_FRACTION);
    }

    /** Samples wanted in a period of the given length. */
    double targetSamples(double periodSeconds) {
        return samplesPerMinute * periodSeconds / 60.0;
    }
}
