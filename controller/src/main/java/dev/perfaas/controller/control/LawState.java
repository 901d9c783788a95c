package dev.perfaas.controller.control;

/**
 * Everything the law carries from one period to the next, as plain fields so the controller can
 * persist it (JSON) and resume from it.
 *
 * @param fraction                    fraction of invocations traced in the coming period
 * @param frequencyHz                 perf frequency in the coming period
 * @param evidence                    pooled history, the loops' integral memory
 * @param periodsSinceFrequencyChange periods since perf last had to restart at a new frequency
 * @param fractionHighPeriods         consecutive periods the law wanted a fraction above Targets.MAX_FRACTION
 * @param fractionLowPeriods          consecutive periods the law wanted a fraction below minFraction
 * @param inControl                   which part of the law set the policy
 * @param budgetLimited               the sample target costs more than the overhead ceiling allows
 * @param overhead                    overhead measured in the last period with data
 * @param sampleRatio                 samples / target measured in the last period with data
 */
public record LawState(
        double fraction,
        int frequencyHz,
        Evidence evidence,
        int periodsSinceFrequencyChange,
        int fractionHighPeriods,
        int fractionLowPeriods,
        InControl inControl,
        boolean budgetLimited,
        double overhead,
        double sampleRatio) {

    /** Sampling effort: expected samples per second of the function's CPU. */
    public double effort() {
        return fraction * frequencyHz;
    }
}
