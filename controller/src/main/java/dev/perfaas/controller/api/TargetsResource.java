package dev.perfaas.controller.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.loop.ControlService;
import dev.perfaas.controller.targets.EffectiveTargets;
import dev.perfaas.controller.targets.TargetsBody;
import dev.perfaas.controller.targets.TargetsBook;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Operator targets. {function} is a function name or {@value TargetsBook#DEFAULT_NAME}, which sets
 * the targets of every function without its own. PUT takes all five fields and replaces the targets
 * whole; the function's policy is brought inside them at once.
 */
@Path("/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {

    private final TargetsBook targets;
    private final ControlService control;
    private final ObjectMapper json;
    private final int maxFunctions;

    public TargetsResource(TargetsBook targets, ControlService control, ObjectMapper json, PerfaasConfig config) {
        this.targets = targets;
        this.control = control;
        this.json = json;
        this.maxFunctions = config.limits().functions();
    }

    @GET
    public Overview all() {
        return new Overview(targets.configured(), targets.overrides());
    }

    @GET
    @Path("{function}")
    public Answer get(@RestPath String function) {
        String name = name(function);
        return new Answer(name, targets.effective(name));
    }

    // The body is read as text so that unknown fields and wrong types can be refused by name.
    @PUT
    @Path("{function}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Answer put(@RestPath String function, String body) throws JsonProcessingException {
        String name = name(function);
        Targets value = TargetsBody.parse(body, json);
        roomFor(name);
        return new Answer(name, control.putTargets(name, value));
    }

    @DELETE
    @Path("{function}")
    public Answer delete(@RestPath String function) {
        String name = name(function);
        return new Answer(name, control.deleteTargets(name));
    }

    // "_default" is no valid function name (it starts with '_'), so no function can take its place.
    private static String name(String raw) {
        return TargetsBook.DEFAULT_NAME.equals(raw) ? raw : SafeName.function(raw);
    }

    // Overrides are kept and saved for functions not heard of yet, so they are bounded like functions.
    // Two PUTs for new names at once may both pass: operators are few and hold the token.
    private void roomFor(String name) {
        Map<String, Targets> overrides = targets.overrides();
        long functions = overrides.keySet().stream()
                .filter(n -> !n.equals(TargetsBook.DEFAULT_NAME))
                .count();
        if (!name.equals(TargetsBook.DEFAULT_NAME) && !overrides.containsKey(name) && functions >= maxFunctions) {
            throw ApiException.limitReached(
                    Refusal.FUNCTIONS_LIMIT,
                    "targets are already set for " + functions
                            + " functions, the most perfaas.limits.functions allows: \"" + name + "\" is refused");
        }
    }

    /** GET /v1/targets: the configured defaults and every override, _default included. */
    public record Overview(Targets configured, Map<String, Targets> overrides) {}

    /** The targets {@code function} is held to now, and their source: function, _default or config. */
    public record Answer(String function, @JsonUnwrapped EffectiveTargets effective) {}
}
