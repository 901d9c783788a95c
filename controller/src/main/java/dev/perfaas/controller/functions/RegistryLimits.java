package dev.perfaas.controller.functions;

import dev.perfaas.controller.PerfaasConfig;

/**
 * perfaas.limits.*, and how long an instance may stay silent before it can be forgotten: ten
 * policy windows, since a live hook reports once a window.
 */
record RegistryLimits(int functions, int instancesPerFunction, int reportsPerMinute, long idleMillis) {

    static RegistryLimits from(PerfaasConfig config) {
        PerfaasConfig.Limits l = config.limits();
        return new RegistryLimits(
                atLeastOne("perfaas.limits.functions", l.functions()),
                atLeastOne("perfaas.limits.instances-per-function", l.instancesPerFunction()),
                atLeastOne("perfaas.limits.reports-per-instance-per-minute", l.reportsPerInstancePerMinute()),
                10 * 1000L * config.policy().windowSeconds());
    }

    private static int atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalStateException(key + " must be at least 1, got " + value);
        }
        return value;
    }
}
