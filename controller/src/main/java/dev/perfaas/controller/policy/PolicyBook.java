package dev.perfaas.controller.policy;

import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The current policy of every function: the configured default until a control loop puts one of
 * its own. Built at startup so a bad perfaas.policy.* setting stops the controller at once.
 */
@Startup
@ApplicationScoped
public class PolicyBook {

    static final long FIRST_VERSION = 1;

    private final Policy defaults;
    private final ConcurrentMap<String, Policy> perFunction = new ConcurrentHashMap<>();

    public PolicyBook(PerfaasConfig config) {
        PerfaasConfig.DefaultPolicy p = config.policy();
        try {
            defaults = new Policy(p.fraction(), p.frequencyHz(), p.windowSeconds(), p.refreshSeconds(),
                    p.engine(), FIRST_VERSION);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid default policy (perfaas.policy.*): " + e.getMessage(), e);
        }
    }

    public Policy defaults() {
        return defaults;
    }

    /** The policy to answer for {@code function}, a safe name. */
    public Policy current(String function) {
        return perFunction.getOrDefault(function, defaults);
    }

    /** Replaces the policy of {@code function}; the caller picks the version (higher than the last). */
    public void put(String function, Policy policy) {
        perFunction.put(Objects.requireNonNull(function), Objects.requireNonNull(policy));
    }
}
