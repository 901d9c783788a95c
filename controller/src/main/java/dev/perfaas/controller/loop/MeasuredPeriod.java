package dev.perfaas.controller.loop;

import dev.perfaas.controller.control.Measurement;

/**
 * What one control step learnt from a batch of window reports, summed over the instances that sent
 * them; kept in the history as the step's evidence.
 *
 * @param periodSeconds      wall time the batch covers: window time summed, divided by instances
 * @param instances          distinct instances among the reports
 * @param reports            reports in the batch
 * @param functionCpuSeconds the function's own CPU, tracer excluded
 * @param tracerCpuSeconds   perf, hook threads and the extra CPU of traced invocations
 * @param tracedAwaitingSamples traced invocations of reports marked samplesPending: their samples
 *                           come with a later report of the same instance
 * @param engine             the sampling engine the reports name ("mixed" when they differ), or null
 *                           when none names one
 * @param fixedTracerCpuSeconds of tracerCpuSeconds, the hook's threads (with an in-process engine's):
 *                           a cost that does not grow with the sampling effort
 */
public record MeasuredPeriod(
        double periodSeconds,
        int instances,
        int reports,
        long invocations,
        long traced,
        double functionCpuSeconds,
        double tracerCpuSeconds,
        long samples,
        long tracedAwaitingSamples,
        String engine,
        double fixedTracerCpuSeconds) {

    public Measurement measurement() {
        return new Measurement(
                periodSeconds,
                invocations,
                traced,
                functionCpuSeconds,
                tracerCpuSeconds,
                samples,
                tracedAwaitingSamples,
                engine,
                fixedTracerCpuSeconds);
    }
}
