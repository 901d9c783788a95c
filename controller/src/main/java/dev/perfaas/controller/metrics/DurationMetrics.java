package dev.perfaas.controller.metrics;

import dev.perfaas.controller.functions.Durations;
import dev.perfaas.controller.functions.FunctionRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code perfaas_function_invoke_duration_seconds}, a Prometheus histogram per function (OTel's
 * {@code faas.invoke_duration}) of every invocation its hooks reported since the controller started.
 * Micrometer builds histograms only from values recorded one by one; the hooks send counts per
 * bucket, so this collector hands Prometheus's client the buckets {@link Durations} keeps, read when
 * scraped.
 */
@Startup
@ApplicationScoped
public class DurationMetrics {

    static final String NAME = "perfaas_function_invoke_duration_seconds";
    private static final List<String> LABELS = List.of(FunctionMetrics.FUNCTION);
    private static final List<String> BUCKET_LABELS = List.of(FunctionMetrics.FUNCTION, "le");

    public DurationMetrics(PrometheusMeterRegistry prometheus, FunctionRegistry registry) {
        new Histograms(registry).register(prometheus.getPrometheusRegistry());
    }

    private static final class Histograms extends Collector {
        private final FunctionRegistry registry;

        Histograms(FunctionRegistry registry) {
            this.registry = registry;
        }

        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>();
            for (String function : registry.names()) {
                registry.durations(function).ifPresent(d -> add(samples, function, d));
            }
            return List.of(new MetricFamilySamples(
                    NAME,
                    Type.HISTOGRAM,
                    "Latency of the invocations the function's hooks reported since the controller started; one"
                            + " within 25 % below a bound may be counted at the next",
                    samples));
        }

        private static void add(List<MetricFamilySamples.Sample> samples, String function, Durations.Snapshot d) {
            long[] cumulative = d.cumulative();
            for (int i = 0; i < cumulative.length; i++) {
                String le = i < Durations.BOUNDS_SECONDS.size()
                        ? doubleToGoString(Durations.BOUNDS_SECONDS.get(i))
                        : "+Inf";
                samples.add(new MetricFamilySamples.Sample(
                        NAME + "_bucket", BUCKET_LABELS, List.of(function, le), cumulative[i]));
            }
            samples.add(new MetricFamilySamples.Sample(NAME + "_count", LABELS, List.of(function), d.count()));
            samples.add(new MetricFamilySamples.Sample(NAME + "_sum", LABELS, List.of(function), d.sumSeconds()));
        }
    }
}
