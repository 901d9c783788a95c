package dev.perfaas.controller.control;

/**
 * Turns a demanded effort (fraction x frequency) into the two actuators, fraction first.
 * The fraction is free to move every period; the frequency moves only when the fraction has been
 * pinned at one of its bounds for config.saturationPeriods() periods in a row, and never twice
 * within config.minPeriodsBetweenFrequencyChanges(), because a new frequency means restarting perf.
 */
final class SplitRange {

    /** The actuators for the coming period and the hysteresis counters behind them. */
    record Split(double fraction, int frequencyHz, int periodsSinceFrequencyChange, int fractionHighPeriods,
                 int fractionLowPeriods) {
    }

    private final LawConfig config;

    SplitRange(LawConfig config) {
        this.config = config;
    }

    Split apply(double effort, LawState previous, int frequencyHz, FrequencyLadder ladder, double minFraction) {
        double wanted = effort / frequencyHz;
        int high = wanted > 1 ? previous.fractionHighPeriods() + 1 : 0;
        int low = wanted < minFraction ? previous.fractionLowPeriods() + 1 : 0;
        int since = previous.periodsSinceFrequencyChange() + 1;

        int next = frequencyHz;
        if (since >= config.minPeriodsBetweenFrequencyChanges()) {
            // Land well inside the fraction's range (by frequencyBand), so that noise does not pin it again.
            if (high >= config.saturationPeriods()) {
                next = ladder.up(frequencyHz, effort, 1 / config.frequencyBand());
            } else if (low >= config.saturationPeriods()) {
                next = ladder.down(frequencyHz, effort, minFraction * config.frequencyBand());
            }
        }
        if (next != frequencyHz) {
            since = 0;
            high = 0;
            low = 0;
        }
        double fraction = Math.max(minFraction, Math.min(1, effort / next));
        return new Split(fraction, next, since, high, low);
    }
}
