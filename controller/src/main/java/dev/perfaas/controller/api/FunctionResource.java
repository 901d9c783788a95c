package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.functions.FunctionDetail;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.FunctionSummary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/** What the controller has measured per function, for operators. */
@Path("/v1/functions")
@Produces(MediaType.APPLICATION_JSON)
public class FunctionResource {

    private final FunctionRegistry registry;

    public FunctionResource(FunctionRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<FunctionSummary> list() {
        return registry.summaries();
    }

    @GET
    @Path("{function}")
    public FunctionDetail get(@RestPath String function) {
        String name = SafeName.function(function);
        return registry.detail(name).orElseThrow(() -> ApiException.notFound("unknown function \"" + name
                + "\": no policy request, report or profile has named it since the controller started"));
    }
}
