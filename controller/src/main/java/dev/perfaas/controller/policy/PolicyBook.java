package dev.perfaas.controller.policy;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.targets.TargetsBook;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The current policy of every function: what the control loop published for it, else the law's
 * conservative prior inside the function's targets (a cold function starts cautious, like
 * Jaeger's initial sampling probability). Every policy takes its window, refresh and engine from
 * perfaas.policy.*. Built at startup so a bad setting stops the controller at once.
 */
@Startup
@ApplicationScoped
public class PolicyBook {

    static final long FIRST_VERSION = 1;

    private final Policy defaults;
    private final TargetsBook targets;
    private final ControlLaw law;
    private final ConcurrentMap<String, Policy> perFunction = new ConcurrentHashMap<>();

    public PolicyBook(PerfaasConfig config, TargetsBook targets, ControlLaw law) {
        PerfaasConfig.DefaultPolicy p = config.policy();
        LawConfig lawConfig = law.config();
        this.law = law;
        try {
            defaults = new Policy(
                    lawConfig.priorFraction(),
                    lawConfig.priorFrequencyHz(),
                    p.windowSeconds(),
                    p.refreshSeconds(),
                    p.engine(),
                    FIRST_VERSION);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid default policy (perfaas.policy.*): " + e.getMessage(), e);
        }
        this.targets = targets;
    }

    /** The policy to answer for {@code function}, a valid name (see SafeName). */
    public Policy current(String function) {
        Policy published = perFunction.get(function);
        return published != null ? published : prior(targets.effective(function).targets());
    }

    /** Replaces the policy of {@code function}; the caller picks the version (higher than the last). */
    public void put(String function, Policy policy) {
        perFunction.put(Objects.requireNonNull(function), Objects.requireNonNull(policy));
    }

    /** Publishes the law's values for {@code function} with the configured window, refresh and engine. */
    public void publish(String function, double fraction, int frequencyHz, long version) {
        put(
                function,
                new Policy(
                        fraction,
                        frequencyHz,
                        defaults.windowSeconds(),
                        defaults.refreshSeconds(),
                        defaults.engine(),
                        version));
    }

    // An operator's targets bind before the loop has seen the function too.
    private Policy prior(Targets t) {
        LawState initial = law.initial(t, defaults.engine());
        return new Policy(
                initial.fraction(),
                initial.frequencyHz(),
                defaults.windowSeconds(),
                defaults.refreshSeconds(),
                defaults.engine(),
                defaults.version());
    }
}
