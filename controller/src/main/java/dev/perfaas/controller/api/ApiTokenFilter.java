package dev.perfaas.controller.api;

import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.Refusals;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Write requests need the bearer token when one is configured; reads stay open. */
public class ApiTokenFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final ApiTokens tokens;
    private final Refusals refusals;

    public ApiTokenFilter(ApiTokens tokens, Refusals refusals) {
        this.tokens = tokens;
        this.refusals = refusals;
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (!tokens.required()
                || READS.contains(request.getMethod())
                || tokens.accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return Optional.empty();
        }
        String problem = request.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                ? "missing Authorization header: write requests need 'Authorization: Bearer <token>'"
                : "invalid bearer token";
        refusals.count(Refusal.UNAUTHORIZED);
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(problem))
                .build());
    }
}
