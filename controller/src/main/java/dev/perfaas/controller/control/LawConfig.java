package dev.perfaas.controller.control;

/**
 * Gains and limits of the {@link ControlLaw}. The defaults, and why:
 *
 * <ul>
 * <li>{@code samplesGain} 0.8 — share of the sample loop's log error removed per period. The plant is
 *     proportional (samples = fraction x frequency x busy CPU), so 1.0 would be dead-beat; 0.8 keeps
 *     almost all of the speed and damps the noise of a one-period pool.</li>
 * <li>{@code overheadGain} 1.0 — the guard removes all of an overhead excess in one period: overhead
 *     has priority, and its model errs on the safe side (a fixed cost such as perf's own baseline
 *     makes the guard cut too much, never too little).</li>
 * <li>{@code overheadSetpoint} 0.9 — the guard aims at 90 % of maxOverhead, so a period of ordinary
 *     noise (a few %) does not cross the ceiling.</li>
 * <li>{@code maxLogStepUp} ln 3 — effort at most triples per period: a cold function still reaches a
 *     100x larger effort in 4-5 periods, and a period whose overhead the pool cannot yet predict
 *     (nothing traced so far) cannot overshoot by more than that factor. Cuts are not limited: less
 *     tracing is always safe.</li>
 * <li>{@code evidenceWindow} 2000 — the pool keeps about 2000 independent counts: a relative error
 *     of 1/sqrt(2000) = 2.2 % on the predicted sample rate, so the policy stays well inside a 10 %
 *     band. A busy function fills it in one period, a quiet one over many.</li>
 * <li>{@code memoryPeriods} 30 — history older than about 5 minutes (at 10 s periods) fades whatever
 *     the evidence, so a quiet function still follows slow drifts of its load.</li>
 * <li>{@code shiftSigma} 4 — a period whose load or samples lie more than 4 standard deviations
 *     (count noise plus 10 % of ordinary load jitter) from the pool's prediction means the load or
 *     the function changed: the pool restarts from that period, so a 10x step is followed at once.
 *     Ordinary noise almost never gets that far.</li>
 * <li>{@code saturationPeriods} 2 — the fraction must be pinned at a bound two periods in a row
 *     before perf restarts at a new frequency: one noisy period is not a trend.</li>
 * <li>{@code minPeriodsBetweenFrequencyChanges} 6 — at most one perf restart a minute; each one
 *     costs ~150 ms of perf startup and a gap in the profile.</li>
 * <li>{@code frequencyBand} 1.5 — after a frequency change the fraction lands at least 1.5x inside
 *     its bounds; the ladder's 2-2.6x steps always leave such a rung.</li>
 * <li>{@code priorFraction} 0.01 at {@code priorFrequencyHz} 99 — a new function starts low (1 % of
 *     invocations, in the spirit of Jaeger's initial sampling probability) in the middle of the
 *     ladder: its first period costs a small fraction of any ceiling, and the climb to a 100x larger
 *     effort takes about 4 periods. An engine that pays for its frequency while nothing is traced
 *     (async-profiler, JFR) starts from the same effort at the lowest rung instead.</li>
 * </ul>
 */
public record LawConfig(
        double samplesGain,
        double overheadGain,
        double overheadSetpoint,
        double maxLogStepUp,
        double evidenceWindow,
        int memoryPeriods,
        double shiftSigma,
        int saturationPeriods,
        int minPeriodsBetweenFrequencyChanges,
        double frequencyBand,
        double priorFraction,
        int priorFrequencyHz) {

    public static final LawConfig DEFAULT =
            new LawConfig(0.8, 1.0, 0.9, Math.log(3), 2000, 30, 4.0, 2, 6, 1.5, 0.01, 99);

    public LawConfig {
        require(samplesGain > 0 && samplesGain <= 1, "samplesGain must be in (0, 1]");
        require(overheadGain > 0 && overheadGain <= 1, "overheadGain must be in (0, 1]");
        require(overheadSetpoint > 0 && overheadSetpoint <= 1, "overheadSetpoint must be in (0, 1]");
        require(maxLogStepUp > 0 && Double.isFinite(maxLogStepUp), "maxLogStepUp must be positive");
        require(evidenceWindow >= 1 && Double.isFinite(evidenceWindow), "evidenceWindow must be at least 1");
        require(memoryPeriods >= 1, "memoryPeriods must be at least 1");
        require(shiftSigma > 0, "shiftSigma must be positive");
        require(saturationPeriods >= 1, "saturationPeriods must be at least 1");
        require(minPeriodsBetweenFrequencyChanges >= 1, "minPeriodsBetweenFrequencyChanges must be at least 1");
        require(frequencyBand >= 1 && Double.isFinite(frequencyBand), "frequencyBand must be at least 1");
        require(priorFraction > 0 && priorFraction <= 1, "priorFraction must be in (0, 1]");
        require(priorFrequencyHz >= 1, "priorFrequencyHz must be at least 1");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
