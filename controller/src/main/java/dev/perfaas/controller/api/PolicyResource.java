package dev.perfaas.controller.api;

import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.policy.Policy;
import dev.perfaas.controller.policy.PolicyBook;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The policy a hook polls in the background; asking also marks the instance as alive. */
@Path("/v1/policy")
public class PolicyResource {

    private final PolicyBook book;
    private final FunctionRegistry registry;

    public PolicyResource(PolicyBook book, FunctionRegistry registry) {
        this.book = book;
        this.registry = registry;
    }

    @GET
    @Path("{function}")
    @Produces(MediaType.APPLICATION_JSON)
    public Answer policy(@RestPath String function, @RestQuery String instance) {
        String name = SafeName.function(function);
        registry.seen(name, SafeName.instanceOr(instance, "unknown"));
        Policy p = book.current(name);
        return new Answer(name, p.fraction(), p.frequencyHz(), p.windowSeconds(), p.refreshSeconds(), p.engine(),
                p.version());
    }

    public record Answer(String function, double fraction, int frequencyHz, int windowSeconds, int refreshSeconds,
            String engine, long version) {
    }
}
