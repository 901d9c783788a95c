package dev.perfaas.controller.control;

/**
 * The law's memory: recent periods pooled as ratios of sums. It holds the plant model the two loops
 * invert:
 * <ul>
 * <li>samples per second = efficiency x effort x function CPU per second, where efficiency is the
 *     share of perf's nominal rate the kernel lets through (1 unless it throttles), learnt from the
 *     traced invocations, and the CPU rate is the function's load;</li>
 * <li>overhead = a fixed part (the hook's threads, pooled over pooled function CPU) plus a variable
 *     part (perf, the extra CPU of traced invocations), scaled up in proportion when the effort is
 *     above the pool's mean effort and not scaled down below it, because part of it (perf's cost
 *     per profile cut) does not shrink with effort. For a cost made of a fixed part and a part
 *     proportional to effort this is an upper bound, so the guard errs on the safe side.</li>
 * </ul>
 * This is the integral part of both loops.
 *
 * <p>Why pooled sums and not a smoothed log error: a function at 0.2 req/s gives a period of zero
 * samples and then one of 400; log errors of such counts are infinite or biased, while a ratio of
 * sums is neither. Efficiency and load are kept apart because they are known to different
 * precision: the efficiency from the samples of the traced invocations (thousands), the load from
 * all invocations, whichever were traced. How much history to keep is decided by evidence, not by
 * time: one period of a busy function replaces the whole pool (fast, nearly dead-beat control), the
 * pool of a quiet function spans many periods (slow, but not fooled by noise).
 *
 * @param samples                  pooled samples taken
 * @param nominalSamples           pooled samples perf would take unthrottled: frequency x CPU seconds of
 *                                 the traced invocations (estimated as traced/invocations x function CPU)
 * @param functionCpuSeconds       pooled function CPU seconds
 * @param invocations              pooled invocations (the evidence behind the load)
 * @param periodSeconds            pooled period lengths
 * @param tracerCpuSeconds         pooled tracer CPU seconds
 * @param effortFunctionCpuSeconds pooled effort x function CPU seconds (for the pool's mean effort)
 * @param count                    pooled evidence, in equivalent independent counts
 * @param awaitedNominalSamples    nominal samples of traced invocations whose samples have not arrived
 *                                 yet: a hook carries a profile over windows until it is worth cutting
 *                                 (the hook's ProfileCutter.worthCutting), so samples come in bursts; their
 *                                 nominal waits here and joins the pool with them, so the
 *                                 efficiency sees neither the empty windows nor the burst
 * @param fixedTracerCpuSeconds    pooled tracer CPU that does not grow with the effort (the hook's
 *                                 threads): the guard budgets the rest, the part the effort moves
 * @param engine                   the sampling engine the pool was measured with, or null when not
 *                                 named. Engines differ in cost and efficiency (perf: ~0.2 s of CPU
 *                                 a profile cut, samples per CPU second; async-profiler: a few
 *                                 microseconds a traced invocation, samples per wall second;
 *                                 BENCHMARKS.md), so a period by another engine starts a new pool
 */
public record Evidence(
        double samples,
        double nominalSamples,
        double functionCpuSeconds,
        double invocations,
        double periodSeconds,
        double tracerCpuSeconds,
        double effortFunctionCpuSeconds,
        double count,
        double awaitedNominalSamples,
        double fixedTracerCpuSeconds,
        String engine) {

    public static final Evidence NONE = new Evidence(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);

    /**
     * Weight, in samples, of the prior efficiency of 1 (perf -F hz takes hz samples per CPU second).
     * It makes a new function's first estimate perf's nominal rate, and gives way after a few samples.
     */
    static final double PRIOR_SAMPLES = 10;

    /**
     * Relative change of a busy function's load from one period to the next that is ordinary, not a
     * shift (request mix, CPU accounting). On top of it, the count noise of invocations whose CPU
     * times spread as wide as their mean: relative variance 2/invocations.
     */
    static final double LOAD_JITTER = 0.1;

    /** Samples per second the pool predicts at this effort. */
    double samplesPerSecondAt(double effort) {
        return efficiency() * effort * functionCpuSeconds / periodSeconds;
    }

    /** Share of perf's nominal rate that arrives as samples. */
    private double efficiency() {
        return (samples + PRIOR_SAMPLES) / (nominalSamples + PRIOR_SAMPLES);
    }

    /** The overhead that does not move with the effort. */
    double fixedOverhead() {
        return fixedTracerCpuSeconds / functionCpuSeconds;
    }

    /**
     * The overhead that grows with the effort, expected at this effort: at least what it measured, and
     * never below zero. The pool holds each period's signed estimate, so its noise averages out; only
     * the pooled figure is clipped, where a cost below zero means nothing measurable yet.
     */
    double variableOverheadAt(double effort) {
        double meanEffort = effortFunctionCpuSeconds / functionCpuSeconds;
        return Math.max(0, tracerCpuSeconds - fixedTracerCpuSeconds)
                / functionCpuSeconds
                * Math.max(1, effort / meanEffort);
    }

    /** The pool with one more period, run at the given effort and frequency, folded in. */
    Evidence add(Measurement m, double periodEffort, int frequencyHz, LawConfig config) {
        double cpuPerInvocation = m.functionCpuSeconds() / m.invocations();
        double awaited = awaitedNominalSamples + frequencyHz * cpuPerInvocation * m.tracedAwaitingSamples();
        double sampled = frequencyHz * cpuPerInvocation * (m.tracedInvocations() - m.tracedAwaitingSamples());
        // Samples that arrive bring the nominal of every window they cover; until then it waits.
        boolean arrived = m.samples() > 0 || sampled > 0;
        double nominal = arrived ? sampled + awaited : 0;
        double periodCount = countOf(m);
        boolean engineChanged = engine != null && m.engine() != null && !engine.equals(m.engine());
        double keep = engineChanged || shifted(m, nominal, periodCount, config) ? 0 : retained(periodCount, config);
        return new Evidence(
                keep * samples + m.samples(),
                keep * nominalSamples + nominal,
                keep * functionCpuSeconds + m.functionCpuSeconds(),
                keep * invocations + m.invocations(),
                keep * periodSeconds + m.periodSeconds(),
                keep * tracerCpuSeconds + m.tracerCpuSeconds(),
                keep * effortFunctionCpuSeconds + periodEffort * m.functionCpuSeconds(),
                keep * count + periodCount,
                arrived ? 0 : awaited,
                keep * fixedTracerCpuSeconds + m.fixedTracerCpuSeconds(),
                m.engine() != null ? m.engine() : engine);
    }

    /**
     * Independent counts behind the period's sample total, combining its three relative variances:
     * Poisson sampling (1/samples), the spread of CPU time between traced invocations (1/traced, as
     * if it were as wide as the mean), and the load's own Poisson noise (1/invocations).
     */
    static double countOf(Measurement m) {
        if (m.samples() == 0 || m.tracedInvocations() == 0) {
            return 0;
        }
        return 1 / (1.0 / m.samples() + 1.0 / m.tracedInvocations() + 1.0 / m.invocations());
    }

    /** Share of the old pool to keep: make room for the new evidence, and never more than the memory limit. */
    private double retained(double periodCount, LawConfig config) {
        double byEvidence = count > 0 ? (config.evidenceWindow() - periodCount) / count : 1;
        double byAge = 1 - 1.0 / config.memoryPeriods();
        return Math.max(0, Math.min(byEvidence, byAge));
    }

    /**
     * True when the period differs from the pool by more than config.shiftSigma() standard
     * deviations, in its load or in its samples against the pool's prediction: the load or the
     * function changed, and stale history would only slow the response. The load is checked on its
     * own because a period without samples (a quiet function traced at a low fraction) still shows it.
     */
    private boolean shifted(Measurement m, double nominal, double periodCount, LawConfig config) {
        if (invocations == 0) {
            return false;
        }
        double loadSigma = Math.sqrt(2 / (double) m.invocations() + 2 / invocations + LOAD_JITTER * LOAD_JITTER);
        double loadShift = Math.log(m.functionCpuSeconds() / m.periodSeconds() * periodSeconds / functionCpuSeconds);
        if (Math.abs(loadShift) > config.shiftSigma() * loadSigma) {
            return true;
        }
        if (periodCount == 0 || count == 0 || nominal == 0) {
            return false;
        }
        // Against the nominal of the traced CPU the samples cover, not the pooled load: a burst that
        // covers several windows is then no shift.
        double predicted = efficiency() * nominal;
        // CPU accounting noise, up to the ordinary load jitter, adds to the counts' noise.
        double sampleSigma = Math.sqrt(1 / periodCount + 1 / count + LOAD_JITTER * LOAD_JITTER);
        return Math.abs(Math.log(m.samples() / predicted)) > config.shiftSigma() * sampleSigma;
    }
}
