package dev.perfaas.controller.control;

import java.util.Set;

/**
 * Turns a demanded effort (fraction x frequency) into the two actuators, fraction first.
 * The fraction is free to move every period, up to {@link Targets#MAX_FRACTION}; the frequency moves
 * up only when the fraction has been pinned there for config.saturationPeriods() periods in a row, and never twice within
 * config.minPeriodsBetweenFrequencyChanges(), because a new frequency means restarting the engine.
 *
 * <p>Where it moves down depends on the engine's cost model (BENCHMARKS.md). perf costs nothing
 * between traced invocations (its events are off), so a low frequency buys nothing: it comes down
 * only when the fraction is pinned at its minimum. The in-process engines pay for their frequency
 * all the time, traced or not: async-profiler's wall-clock timer wakes at the frequency and walks
 * the JVM's threads (idle, ~0.1 % of a core at 19 Hz, 0.5 % at 99 Hz, 3 % at 997 Hz), its CPU-time
 * timers sample every thread that runs, traced or not, and JFR samples every running thread at its
 * period. For them the frequency goes down to the lowest rung
 * that still serves the effort with the fraction well under 1: more invocations traced, less often.
 */
final class SplitRange {

    /** Engines whose cost while nothing is traced grows with the frequency. */
    private static final Set<String> PAY_FOR_FREQUENCY = Set.of("async", "async-cpu", "jfr");

    static boolean paysForFrequency(String engine) {
        return engine != null && PAY_FOR_FREQUENCY.contains(engine);
    }

    /** The actuators for the coming period and the hysteresis counters behind them. */
    record Split(
            double fraction,
            int frequencyHz,
            int periodsSinceFrequencyChange,
            int fractionHighPeriods,
            int fractionLowPeriods) {}

    private final LawConfig config;

    SplitRange(LawConfig config) {
        this.config = config;
    }

    Split apply(
            double effort,
            LawState previous,
            int frequencyHz,
            FrequencyLadder ladder,
            double minFraction,
            String engine) {
        double wanted = effort / frequencyHz;
        int high = wanted > Targets.MAX_FRACTION ? previous.fractionHighPeriods() + 1 : 0;
        int low = wanted < minFraction ? previous.fractionLowPeriods() + 1 : 0;
        int since = previous.periodsSinceFrequencyChange() + 1;

        int next = frequencyHz;
        if (since >= config.minPeriodsBetweenFrequencyChanges()) {
            // Land well inside the fraction's range (by frequencyBand), so that noise does not pin it again.
            if (high >= config.saturationPeriods()) {
                next = ladder.up(frequencyHz, effort, Targets.MAX_FRACTION / config.frequencyBand());
            } else if (paysForFrequency(engine)) {
                next = Math.min(
                        frequencyHz, ladder.lowestServing(effort, Targets.MAX_FRACTION / config.frequencyBand()));
            } else if (low >= config.saturationPeriods()) {
                next = ladder.down(frequencyHz, effort, minFraction * config.frequencyBand());
            }
        }
        if (next != frequencyHz) {
            since = 0;
            high = 0;
            low = 0;
        }
        double fraction = Math.max(minFraction, Math.min(Targets.MAX_FRACTION, effort / next));
        return new Split(fraction, next, since, high, low);
    }
}
