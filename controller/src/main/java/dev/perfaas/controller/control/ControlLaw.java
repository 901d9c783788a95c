package dev.perfaas.controller.control;

import java.util.List;

/**
 * The per-function control law: from one period's measurement and the carried state, the policy
 * (fraction of invocations traced, perf frequency) for the next period. Pure and deterministic; the
 * scheduling loop, persistence and publication live elsewhere.
 *
 * <p>Shape (docs/design.md, section 4). The law works on the logarithm of the sampling effort
 * E = fraction x frequency, because the plant is multiplicative (samples = E x busy CPU seconds):
 * in log space a function at 0.2 req/s and one at 5,000 req/s behave alike. Two loops each demand a
 * log-effort, as an increment on u, the log of the effort actually applied last period:
 * <ul>
 * <li>samples: u - samplesGain x log(predicted sample ratio at u), chasing a ratio of 1;</li>
 * <li>overhead: u + overheadGain x log(setpoint / predicted overhead at u), the setpoint a margin
 *     under maxOverhead.</li>
 * </ul>
 * The predictions come from the {@link Evidence} pool, a model of the plant fitted to recent periods
 * (the sampling efficiency and the measured load act as feed-forward). With gain 1 one step lands on
 * the target (dead-beat); gains below 1 damp what noise the pool lets through. The lower demand wins
 * (overhead has priority), and the sample loop may raise the effort by at most maxLogStepUp a period.
 * Both demands are increments on the applied effort, and the pool is normalised by the effort each
 * period actually ran at, so the losing loop tracks the chosen output by construction (velocity form
 * with external reset): no integrator winds up while the other loop rules. The winning demand is then
 * split into fraction and frequency by {@link SplitRange}.
 */
public final class ControlLaw {

    private final LawConfig config;
    private final SplitRange splitRange;

    public ControlLaw(LawConfig config) {
        this.config = config;
        this.splitRange = new SplitRange(config);
    }

    public LawConfig config() {
        return config;
    }

    /** The conservative prior for a function never seen before, sampled by an engine not named. */
    public LawState initial(Targets targets) {
        return initial(targets, null);
    }

    /**
     * The conservative prior for a function never seen before: the prior effort (priorFraction at
     * priorFrequencyHz), at the lowest rung for an engine that pays for its frequency while nothing
     * is traced ({@link SplitRange}), so its first periods do not pay a timer five times as busy.
     */
    public LawState initial(Targets targets, String engine) {
        requireValid(targets);
        FrequencyLadder ladder = FrequencyLadder.within(targets.minFrequencyHz(), targets.maxFrequencyHz());
        boolean lowest = SplitRange.paysForFrequency(engine);
        int frequency = lowest ? ladder.lowest() : ladder.nearest(config.priorFrequencyHz());
        double prior = lowest ? config.priorFraction() * config.priorFrequencyHz() / frequency : config.priorFraction();
        double fraction = clamp(prior, targets.fractionFloor(), Targets.MAX_FRACTION);
        // "Since the last change" starts full: a new function may pick its frequency at once.
        return new LawState(
                fraction,
                frequency,
                Evidence.NONE,
                config.minPeriodsBetweenFrequencyChanges(),
                0,
                0,
                InControl.PRIOR,
                false,
                0,
                0);
    }

    /** One control period: the measurement was taken under previous's policy. */
    public Decision step(LawState previous, Measurement m, Targets targets) {
        requireValid(targets);
        FrequencyLadder ladder = FrequencyLadder.within(targets.minFrequencyHz(), targets.maxFrequencyHz());
        // Targets may have changed since the state was written: bring the policy inside them.
        int frequency = ladder.nearest(previous.frequencyHz());
        double fraction = clamp(previous.fraction(), targets.fractionFloor(), Targets.MAX_FRACTION);

        if (!m.hasData()) {
            // Nothing to learn: keep policy and memory, so traffic resumes under a policy known to be safe.
            InControl idle = previous.inControl() == InControl.PRIOR ? InControl.PRIOR : InControl.IDLE;
            return Decision.of(new LawState(
                    fraction,
                    frequency,
                    previous.evidence(),
                    previous.periodsSinceFrequencyChange(),
                    previous.fractionHighPeriods(),
                    previous.fractionLowPeriods(),
                    idle,
                    previous.budgetLimited(),
                    previous.overhead(),
                    previous.sampleRatio()));
        }

        // The period ran under the previous policy; judge it at that effort.
        double applied = previous.effort();
        Evidence evidence = previous.evidence().add(m, applied, previous.frequencyHz(), config);

        double u = Math.log(applied);
        double predictedRatio = evidence.samplesPerSecondAt(applied) * 60 / targets.samplesPerMinute();
        double samplesDemand = u - config.samplesGain() * Math.log(predictedRatio);
        double setpoint = config.overheadSetpoint() * targets.maxOverhead();
        // Only the variable part answers to the effort: it gets what the fixed part leaves of the
        // setpoint. Infinite when it has cost nothing measurable yet (the step limit then rules);
        // minus infinity when the fixed part alone is over the setpoint (the effort goes to its minimum).
        double budget = setpoint - evidence.fixedOverhead();
        double overheadDemand = budget <= 0
                ? Double.NEGATIVE_INFINITY
                : u + config.overheadGain() * Math.log(budget / evidence.variableOverheadAt(applied));

        double samplesStep = Math.min(samplesDemand, u + config.maxLogStepUp());
        double demand = clamp(
                Math.exp(Math.min(samplesStep, overheadDemand)),
                targets.fractionFloor() * ladder.lowest(),
                Targets.MAX_FRACTION * ladder.highest());

        SplitRange.Split split =
                splitRange.apply(demand, previous, frequency, ladder, targets.fractionFloor(), evidence.engine());

        // Budget limited: the guard, not the sample loop (nor its step limit), chose the effort.
        boolean budgetLimited = overheadDemand < samplesStep;
        double effort = split.fraction() * split.frequencyHz();
        InControl inControl = budgetLimited
                ? InControl.OVERHEAD
                : atBound(effort, samplesDemand, targets, ladder) ? InControl.SATURATED : InControl.SAMPLES;

        return Decision.of(new LawState(
                split.fraction(),
                split.frequencyHz(),
                evidence,
                split.periodsSinceFrequencyChange(),
                split.fractionHighPeriods(),
                split.fractionLowPeriods(),
                inControl,
                budgetLimited,
                m.overhead(),
                m.sampleRatio(targets)));
    }

    /** The applied effort is at its top (or bottom) and the sample loop wants to go further. */
    private static boolean atBound(double effort, double samplesDemand, Targets targets, FrequencyLadder ladder) {
        double max = Targets.MAX_FRACTION * ladder.highest();
        double min = targets.fractionFloor() * ladder.lowest();
        return (effort >= max && samplesDemand > Math.log(max)) || (effort <= min && samplesDemand < Math.log(min));
    }

    private static void requireValid(Targets targets) {
        List<String> problems = targets.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid targets: " + String.join("; ", problems));
        }
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
