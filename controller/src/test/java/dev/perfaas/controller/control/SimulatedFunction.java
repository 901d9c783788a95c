package dev.perfaas.controller.control;

import java.util.Random;

/**
 * A function under perf, summed over its instances, as the law sees it: a Measurement per period
 * for a given policy. Counts are random (Poisson invocations, binomial tracing, Poisson samples per
 * traced invocation), CPU times carry a few % of noise; the expected values are exact, so tests can
 * say what the right answer is.
 *
 * @param ratePerSecond        invocations per second
 * @param cpuPerInvocation     CPU seconds per invocation
 * @param perSampleCpu         tracer CPU per sample taken (perf's handling, unwinding)
 * @param perToggleCpu         tracer CPU per traced invocation (enable + disable)
 * @param baselineCpuPerSecond perf's own CPU per second while it runs (whenever fraction > 0)
 * @param cpuNoise             relative standard deviation of CPU times
 * @param sampleEfficiency     share of the requested samples the kernel lets through (1 = no throttling)
 */
record SimulatedFunction(
        double ratePerSecond,
        double cpuPerInvocation,
        double perSampleCpu,
        double perToggleCpu,
        double baselineCpuPerSecond,
        double cpuNoise,
        double sampleEfficiency) {

    /** Mid-range costs of the brief: 30 us per sample, 10 us per toggle, 0.2 ms/s of perf baseline, 3 % noise. */
    static SimulatedFunction of(double ratePerSecond, double cpuPerInvocation) {
        return new SimulatedFunction(ratePerSecond, cpuPerInvocation, 30e-6, 10e-6, 0.2e-3, 0.03, 1.0);
    }

    SimulatedFunction withRate(double rate) {
        return new SimulatedFunction(
                rate, cpuPerInvocation, perSampleCpu, perToggleCpu, baselineCpuPerSecond, cpuNoise, sampleEfficiency);
    }

    SimulatedFunction withSampleCosts(double perSample, double efficiency) {
        return new SimulatedFunction(
                ratePerSecond, cpuPerInvocation, perSample, perToggleCpu, baselineCpuPerSecond, cpuNoise, efficiency);
    }

    Measurement run(double fraction, int frequencyHz, double periodSeconds, Random random) {
        long invocations = poisson(ratePerSecond * periodSeconds, random);
        long traced = binomial(invocations, fraction, random);
        long samples = poisson(sampleEfficiency * traced * cpuPerInvocation * frequencyHz, random);
        double functionCpu = noisy(invocations * cpuPerInvocation, random);
        double baseline = fraction > 0 ? baselineCpuPerSecond * periodSeconds : 0;
        double tracerCpu = noisy(samples * perSampleCpu + traced * perToggleCpu + baseline, random);
        return new Measurement(periodSeconds, invocations, traced, functionCpu, tracerCpu, samples);
    }

    /** Function CPU seconds per second, averaged over all time. */
    double cpuPerSecond() {
        return ratePerSecond * cpuPerInvocation;
    }

    /**
     * Function CPU seconds per second in the periods that have any invocation. The law skips
     * periods without traffic, so this is the load its sample target applies to; it differs from
     * cpuPerSecond() only when some periods are empty (0.2/s gives none in 13 % of 10 s periods).
     */
    double activeCpuPerSecond(double periodSeconds) {
        return cpuPerSecond() / (1 - Math.exp(-ratePerSecond * periodSeconds));
    }

    /** The sample ratio this policy gives on average over periods with traffic. */
    double expectedSampleRatio(double fraction, int frequencyHz, double samplesPerMinute, double periodSeconds) {
        return sampleEfficiency * fraction * frequencyHz * activeCpuPerSecond(periodSeconds) * 60 / samplesPerMinute;
    }

    /** The overhead this policy gives on average: samples, toggles and perf's baseline over function CPU. */
    double expectedOverhead(double fraction, int frequencyHz) {
        double samplesPerSecond = sampleEfficiency * fraction * frequencyHz * cpuPerSecond();
        double tracerPerSecond =
                samplesPerSecond * perSampleCpu + fraction * ratePerSecond * perToggleCpu + baselineCpuPerSecond;
        return tracerPerSecond / cpuPerSecond();
    }

    private double noisy(double value, Random random) {
        return Math.max(0, value * (1 + cpuNoise * random.nextGaussian()));
    }

    /** Exact for small means, normal approximation above 50 (rounded, never negative). */
    static long poisson(double mean, Random random) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    /** Exact for up to 200 trials, else Poisson for rare events and normal otherwise. */
    static long binomial(long trials, double p, Random random) {
        if (p >= 1) {
            return trials;
        }
        if (trials <= 200) {
            long hits = 0;
            for (long i = 0; i < trials; i++) {
                if (random.nextDouble() < p) {
                    hits++;
                }
            }
            return hits;
        }
        double mean = trials * p;
        if (mean <= 50) {
            return Math.min(trials, poisson(mean, random));
        }
        double sd = Math.sqrt(mean * (1 - p));
        return Math.max(0, Math.min(trials, Math.round(mean + sd * random.nextGaussian())));
    }
}
