package dev.perfaas.controller.metrics;

import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.Retention;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The stacks directory as a whole on /q/metrics, read from retention when scraped; what each
 * function's profiles take is in {@link FunctionMetrics}. Uploads refused for a full filesystem are
 * perfaas_refused_total{reason="insufficient_storage"}.
 */
@Startup
@ApplicationScoped
public class StorageMetrics {

    public StorageMetrics(MeterRegistry meters, ProfileStore profiles) {
        Retention retention = profiles.retention();
        FunctionCounter.builder(
                        "perfaas.stacks.evicted.files",
                        retention,
                        r -> r.status().evictedFiles())
                .description("Profiles retention deleted since start (age, per-function or total limit)")
                .register(meters);
        FunctionCounter.builder(
                        "perfaas.stacks.evicted", retention, r -> r.status().evictedBytes())
                .description("Bytes of the profiles retention deleted since start")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("perfaas.stacks.full", retention, r -> r.status().full() ? 1 : 0)
                .description("1 while uploads get 507 because the stacks filesystem is full")
                .register(meters);
        Gauge.builder("perfaas.stacks.usable.bytes", retention, StorageMetrics::usableBytes)
                .description("Usable bytes left on the stacks filesystem; NaN when unknown")
                .baseUnit("bytes")
                .register(meters);
    }

    private static double usableBytes(Retention retention) {
        Long usable = retention.status().usableBytes();
        return usable == null ? Double.NaN : usable;
    }
}
