package dev.perfaas.controller.api;

import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.ReceivedReport;
import dev.perfaas.controller.functions.WindowReport;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** Window reports from trace hooks, one per function instance per window. */
@Path("/v1/reports")
public class ReportResource {

    private final FunctionRegistry registry;

    public ReportResource(FunctionRegistry registry) {
        this.registry = registry;
    }

    /**
     * 202: the report is kept for the control loop, which acts on it later. Runs on the event loop:
     * filing a report only takes a short per-function lock in memory, and a hand-off to the worker
     * pool (and the blocking body stream it brings) cost more CPU than the report itself.
     */
    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Receipt> receive(WindowReport report) {
        ReceivedReport received = registry.report(report);
        return RestResponse.status(
                RestResponse.Status.ACCEPTED,
                new Receipt(received.function(), received.instance(), received.sequence()));
    }

    public record Receipt(String function, String instance, long sequence) {}
}
