package dev.perfaas.controller.api;

import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.policy.Policy;
import dev.perfaas.controller.policy.PolicyBook;
import dev.perfaas.controller.policy.SlowCallRule;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The policy a hook polls in the background. A read like any other: it needs no token and so
 * changes nothing; an unknown function gets the prior. Instances count as alive by their reports.
 */
@Path("/v1/policy")
public class PolicyResource {

    private final PolicyBook book;
    private final SlowCallRule slowCalls;

    public PolicyResource(PolicyBook book, SlowCallRule slowCalls) {
        this.book = book;
        this.slowCalls = slowCalls;
    }

    @GET
    @Path("{function}")
    @Produces(MediaType.APPLICATION_JSON)
    public Answer policy(@RestPath String function, @RestQuery String instance) {
        String name = SafeName.function(function);
        if (instance != null && !instance.isEmpty()) {
            SafeName.instance(instance); // unused, but a hook whose reports would be refused for it is told at once
        }
        Policy p = book.current(name);
        return new Answer(
                name,
                p.fraction(),
                p.frequencyHz(),
                p.windowSeconds(),
                p.refreshSeconds(),
                p.engine(),
                p.version(),
                slowCalls.threshold(name).millis(),
                slowCalls.perMinute(),
                slowCalls.burst());
    }

    /** {@code slowCallMillis} 0: capture no slow call; see SlowCallRule. */
    public record Answer(
            String function,
            double fraction,
            int frequencyHz,
            int windowSeconds,
            int refreshSeconds,
            String engine,
            long version,
            long slowCallMillis,
            int slowCallsPerMinute,
            int slowCallBurst) {}
}
