package dev.perfaas.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * perfaas_refused_total{reason}: requests the controller refused, by {@link Refusal}. Every reason
 * is registered at startup, so /q/metrics shows zeros before the first refusal and an alert can
 * watch a rate from the start.
 */
@Startup
@ApplicationScoped
public class Refusals {

    private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);

    public Refusals(MeterRegistry registry) {
        for (Refusal reason : Refusal.values()) {
            counters.put(
                    reason,
                    Counter.builder("perfaas.refused")
                            .description("Requests refused with a 4xx, by reason")
                            .tag("reason", reason.label())
                            .register(registry));
        }
    }

    public void count(Refusal reason) {
        counters.get(reason).increment();
    }
}
