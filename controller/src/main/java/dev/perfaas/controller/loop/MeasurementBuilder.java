package dev.perfaas.controller.loop;

import dev.perfaas.controller.functions.ReceivedReport;
import dev.perfaas.controller.functions.WindowReport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the window reports of one control step into the law's measurement.
 *
 * <p>Tracing costs three things: the hook's own threads (with an in-process engine's native
 * threads, and rendering its recordings), the perf processes (record and script, outside the JVM),
 * and the extra CPU a traced invocation burns over an untraced one (switching the engine, its
 * sampling signals, the hook's bookkeeping on the request thread). The first is mostly fixed
 * (policy refreshes, reports, async-profiler's timer waking at the frequency whatever is traced;
 * rendering, the part that grows with the samples, is ~10-25 us a sample), so it is also kept apart
 * as the fixed tracer cost; the other two grow with the sampling effort. The hook measures the last one by
 * timing a random control group of untraced invocations drawn at the same rate as the traced
 * ones, so per report: extra = traced x max(0, mean CPU of traced - mean CPU of the control group),
 * or 0 when either group has no measurement. The JVM's process CPU includes the hook threads and
 * the extra, so those come off the function's CPU; perf's does not, it is another process.
 *
 * <p>The period is the wall time the batch speaks for: window time summed over reports, divided
 * by the number of distinct instances. Three instances with 60 s windows make a 60 s period, and
 * so does one instance with six 10 s windows, so samples / (samplesPerMinute x period / 60) is the
 * sample ratio whatever the window length.
 */
public final class MeasurementBuilder {

    private static final double NANOS = 1e9;
    // Windows that cover no time (start == end) would make a zero period, which no rate can use.
    private static final double SHORTEST_PERIOD_SECONDS = 0.001;
    /** The engine of a batch whose instances ran different ones (some where perf is allowed, some not). */
    static final String MIXED = "mixed";

    private MeasurementBuilder() {}

    public static MeasuredPeriod build(List<ReceivedReport> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one report");
        }
        Set<String> instances = new HashSet<>();
        long windowMillis = 0;
        long invocations = 0;
        long traced = 0;
        long samples = 0;
        long awaitingSamples = 0;
        Set<String> engines = new HashSet<>();
        double functionNanos = 0;
        double tracerNanos = 0;
        double fixedTracerNanos = 0;
        for (ReceivedReport received : batch) {
            WindowReport r = received.report();
            instances.add(received.instance());
            windowMillis += r.windowEndMillis() - r.windowStartMillis();
            invocations += r.invocations();
            traced += r.traced();
            samples += r.samples();
            if (r.samplesPending()) {
                awaitingSamples += r.traced();
            }
            if (r.engine() != null) {
                engines.add(r.engine());
            }
            double extra = extraNanos(r);
            tracerNanos += r.hookCpuNanos() + r.perfCpuNanos() + extra;
            fixedTracerNanos += r.hookCpuNanos();
            functionNanos += Math.max(0, r.processCpuNanos() - r.hookCpuNanos() - extra);
        }
        double period = Math.max(SHORTEST_PERIOD_SECONDS, windowMillis / 1000.0 / instances.size());
        String engine = engines.isEmpty()
                ? null
                : engines.size() == 1 ? engines.iterator().next() : MIXED;
        return new MeasuredPeriod(
                period,
                instances.size(),
                batch.size(),
                invocations,
                traced,
                functionNanos / NANOS,
                tracerNanos / NANOS,
                samples,
                awaitingSamples,
                engine,
                fixedTracerNanos / NANOS);
    }

    /**
     * CPU the traced invocations burnt over what as many untraced ones would have: a difference of two
     * means, kept signed. Where tracing adds little to an invocation, a window's difference is noise
     * around it, below zero as often as above; clipping each window at zero adds about 0.4 of that
     * noise to every pooled figure (BENCHMARKS.md section 9: pi at 5 %, 7 of 18 steps at zero; at 20 %
     * its traced invocations' extra read 0.32 % of its CPU clipped, 0.01 % signed). The law clips the pool,
     * not the window ({@code Evidence.variableOverheadAt}). Bounded by the process's CPU in the window,
     * more than tracing could have added or saved.
     */
    static double extraNanos(WindowReport r) {
        if (r.tracedMeasured() == 0 || r.controlMeasured() == 0) {
            return 0;
        }
        double perTraced = (double) r.tracedCpuNanos() / r.tracedMeasured();
        double perControl = (double) r.controlCpuNanos() / r.controlMeasured();
        double bound = r.processCpuNanos();
        return Math.max(-bound, Math.min(bound, r.traced() * (perTraced - perControl)));
    }
}
