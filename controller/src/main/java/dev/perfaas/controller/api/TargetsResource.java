package dev.perfaas.controller.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    public TargetsResource(TargetsBook targets, ControlService control, ObjectMapper json) {
        this.targets = targets;
        this.control = control;
        this.json = json;
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
        return new Answer(name, control.putTargets(name, TargetsBody.parse(body, json)));
    }

    @DELETE
    @Path("{function}")
    public Answer delete(@RestPath String function) {
        String name = name(function);
        return new Answer(name, control.deleteTargets(name));
    }

    // "_default" is checked first: as a function name it would lose its leading '_'.
    private static String name(String raw) {
        return TargetsBook.DEFAULT_NAME.equals(raw) ? raw : SafeName.function(raw);
    }

    /** GET /v1/targets: the configured defaults and every override, _default included. */
    public record Overview(Targets configured, Map<String, Targets> overrides) {
    }

    /** The targets {@code function} is held to now, and their source: function, _default or config. */
    public record Answer(String function, @JsonUnwrapped EffectiveTargets effective) {
    }
}
