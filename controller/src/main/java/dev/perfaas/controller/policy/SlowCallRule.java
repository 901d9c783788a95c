package dev.perfaas.controller.policy;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.Insight;
import dev.perfaas.controller.targets.TargetsBook;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Which invocations of a function are slow: those running longer than the operator's slowCallMillis,
 * else than the function's warm p99 (no lower than perfaas.slow-calls.min-threshold-millis) once
 * perfaas.slow-calls.min-invocations warm invocations give one; before that, none. Served in every
 * policy with the rate at which captures are stored.
 */
@ApplicationScoped
public class SlowCallRule {

    /** {@code millis} 0: nothing is captured; {@code source} says where the threshold comes from, or why there is none. */
    public record Threshold(long millis, String source) {}

    private final TargetsBook targets;
    private final FunctionRegistry registry;
    private final PerfaasConfig.SlowCalls settings;

    public SlowCallRule(TargetsBook targets, FunctionRegistry registry, PerfaasConfig config) {
        this.targets = targets;
        this.registry = registry;
        this.settings = config.slowCalls();
        if (settings.perMinute() < 1 || settings.burst() < 1 || settings.minThresholdMillis() < 1) {
            throw new IllegalStateException("perfaas.slow-calls.per-minute, burst and min-threshold-millis must be at"
                    + " least 1, got " + settings.perMinute() + ", " + settings.burst() + ", "
                    + settings.minThresholdMillis());
        }
    }

    public Threshold threshold(String function) {
        Long set = targets.effective(function).targets().slowCallMillis();
        if (set != null) {
            return new Threshold(set, "targets");
        }
        Optional<Insight> insight = registry.insight(function);
        long warm = insight.map(Insight::warmInvocations).orElse(0L);
        Double p99 = insight.map(Insight::warmP99Millis).orElse(null);
        if (p99 == null || warm < settings.minInvocations()) {
            return new Threshold(
                    0,
                    "none until " + settings.minInvocations() + " warm invocations give a p99 (" + warm
                            + " so far) or targets set slowCallMillis");
        }
        long millis = Math.max(settings.minThresholdMillis(), (long) Math.ceil(p99));
        return new Threshold(
                millis,
                p99 < settings.minThresholdMillis()
                        ? "p99 " + p99 + " ms, raised to the" + " floor perfaas.slow-calls.min-threshold-millis"
                        : "p99 of warm invocations");
    }

    public int perMinute() {
        return settings.perMinute();
    }

    public int burst() {
        return settings.burst();
    }
}
