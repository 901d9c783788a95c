package dev.perfaas.controller.metrics;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * The scrape of /q/metrics also on /metrics: OpenFaaS's bundled Prometheus scrapes pods annotated
 * {@code prometheus.io/scrape} on their {@code prometheus.io/port} at /metrics and reads no
 * {@code prometheus.io/path} (faas-netes' chart, prometheus-cfg.yaml), so that is where it looks.
 */
@Path("/metrics")
public class MetricsResource {

    private final PrometheusMeterRegistry prometheus;

    public MetricsResource(PrometheusMeterRegistry prometheus) {
        this.prometheus = prometheus;
    }

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return prometheus.scrape();
    }
}
