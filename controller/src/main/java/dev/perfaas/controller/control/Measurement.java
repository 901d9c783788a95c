package dev.perfaas.controller.control;

/**
 * One control period of one function, summed over all its instances.
 *
 * @param periodSeconds      length of the period
 * @param invocations        invocations that ran in the period
 * @param tracedInvocations  of those, how many were traced
 * @param functionCpuSeconds the function's own CPU time, tracer excluded
 * @param tracerCpuSeconds   what tracing cost: perf's CPU, hook work, and the extra CPU of traced
 *                           invocations over untraced ones, a difference of means kept signed (its
 *                           noise averages out in the law's pool), so a period's may fall below its
 *                           fixed part, or below zero
 * @param samples            samples actually taken; never frequency x time, because the kernel
 *                           throttles sampling on its own
 * @param tracedAwaitingSamples of the traced invocations, how many ran under a profile that was not
 *                           cut yet: their samples come with a later period
 * @param engine             the sampling engine that ran (async, async-cpu, perf, jfr; "mixed" when instances
 *                           differ), or null when the reports did not say: each engine has its own
 *                           costs and sampling efficiency, so the law's pool starts again when it changes
 * @param fixedTracerCpuSeconds the part of tracerCpuSeconds that does not grow with the sampling
 *                           effort: the hook's own threads (policy refresh, reports) and an
 *                           in-process engine's (async-profiler's wall-clock timer, which wakes at the
 *                           frequency whether or not anything is traced)
 */
public record Measurement(
        double periodSeconds,
        long invocations,
        long tracedInvocations,
        double functionCpuSeconds,
        double tracerCpuSeconds,
        long samples,
        long tracedAwaitingSamples,
        String engine,
        double fixedTracerCpuSeconds) {

    /** A period whose traced invocations all brought their samples, by an engine not named. */
    public Measurement(
            double periodSeconds,
            long invocations,
            long tracedInvocations,
            double functionCpuSeconds,
            double tracerCpuSeconds,
            long samples) {
        this(periodSeconds, invocations, tracedInvocations, functionCpuSeconds, tracerCpuSeconds, samples, 0, null, 0);
    }

    public Measurement {
        // Reject nonsense at the boundary so the law's arithmetic never sees it.
        if (!(periodSeconds > 0) || Double.isInfinite(periodSeconds)) {
            throw new IllegalArgumentException("periodSeconds must be positive, was " + periodSeconds);
        }
        if (invocations < 0
                || tracedInvocations < 0
                || tracedInvocations > invocations
                || samples < 0
                || tracedAwaitingSamples < 0
                || tracedAwaitingSamples > tracedInvocations) {
            throw new IllegalArgumentException(
                    "counts must satisfy 0 <= awaiting samples <= traced <= invocations" + " and samples >= 0");
        }
        if (!(functionCpuSeconds >= 0)
                || !(fixedTracerCpuSeconds >= 0)
                || Double.isInfinite(functionCpuSeconds)
                || Double.isInfinite(fixedTracerCpuSeconds)) {
            throw new IllegalArgumentException("function and fixed tracer CPU seconds must be finite and non-negative");
        }
        if (!Double.isFinite(tracerCpuSeconds)) {
            throw new IllegalArgumentException("tracer CPU seconds must be finite");
        }
    }

    /** False when the function did no work (scaled to zero, idle): nothing to learn from the period. */
    public boolean hasData() {
        return invocations > 0 && functionCpuSeconds > 0;
    }

    public double overhead() {
        return tracerCpuSeconds / functionCpuSeconds;
    }

    /** Samples taken over the samples the targets want in a period this long. */
    public double sampleRatio(Targets targets) {
        return samples / targets.targetSamples(periodSeconds);
    }
}
