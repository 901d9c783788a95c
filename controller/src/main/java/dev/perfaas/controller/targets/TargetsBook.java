package dev.perfaas.controller.targets;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.control.Targets;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operator targets: per function, for {@value #DEFAULT_NAME} (every function without its own), and
 * the configured defaults under both. Reads take no lock (the policy endpoint asks on every poll);
 * the control service replaces the overrides whole, after it has saved them. Built at startup so a
 * bad perfaas.targets.* setting stops the controller at once.
 */
@Startup
@ApplicationScoped
public class TargetsBook {

    /** The name that stands for every function without targets of its own; no valid function name can be it. */
    public static final String DEFAULT_NAME = "_default";

    private final Targets configured;
    private volatile Map<String, Targets> overrides = Map.of();

    @Inject
    public TargetsBook(PerfaasConfig config) {
        this(configured(config.targets()));
    }

    public TargetsBook(Targets configured) {
        this.configured = configured;
    }

    private static Targets configured(PerfaasConfig.TargetDefaults t) {
        Targets targets = new Targets(
                t.maxOverhead(), t.samplesPerMinute(), t.minFrequencyHz(), t.maxFrequencyHz(), t.minFraction());
        List<String> problems = targets.validate();
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "invalid default targets (perfaas.targets.*): " + String.join("; ", problems));
        }
        return targets;
    }

    public Targets configured() {
        return configured;
    }

    /** Every override, {@value #DEFAULT_NAME} included, sorted by name. */
    public Map<String, Targets> overrides() {
        return overrides;
    }

    /** {@code function}'s own targets, else {@value #DEFAULT_NAME}'s, else the configured ones. */
    public EffectiveTargets effective(String function) {
        return effective(overrides, configured, function);
    }

    /** What {@link #effective(String)} answers once {@code overrides} are in force. */
    public static EffectiveTargets effective(Map<String, Targets> overrides, Targets configured, String function) {
        Targets own = overrides.get(function);
        if (own != null) {
            return new EffectiveTargets(
                    own, DEFAULT_NAME.equals(function) ? TargetsSource.DEFAULT : TargetsSource.FUNCTION);
        }
        Targets fallback = overrides.get(DEFAULT_NAME);
        return fallback != null
                ? new EffectiveTargets(fallback, TargetsSource.DEFAULT)
                : new EffectiveTargets(configured, TargetsSource.CONFIG);
    }

    /** Replaces every override; the caller has validated and saved them. */
    public void replace(Map<String, Targets> next) {
        overrides = Collections.unmodifiableMap(new TreeMap<>(next));
    }
}
