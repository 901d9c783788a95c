package dev.perfaas.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.Refusals;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body whose Content-Length is over perfaas.max-upload-bytes with a JSON 413, just ahead
 * of Quarkus' own check (quarkus.http.limits.max-body-size), which answers with an empty body.
 * Bodies without a length are cut off while they stream: by Quarkus, and for profile uploads by the
 * profile intake (see UploadRoute).
 */
@ApplicationScoped
public class BodyLimitRoute {

    private final long limit;
    private final String tooLarge;
    private final Refusals refusals;

    public BodyLimitRoute(PerfaasConfig config, ObjectMapper json, Refusals refusals) throws JsonProcessingException {
        limit = config.maxUploadBytes();
        tooLarge = json.writeValueAsString(new ErrorBody(
                "request body exceeds the limit of " + limit + " bytes (setting perfaas.max-upload-bytes)"));
        this.refusals = refusals;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            refusals.count(Refusal.TOO_LARGE);
            // The unread body would be taken for the next request: close once the answer is out.
            context.response().endHandler(done -> context.request().connection().close());
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(tooLarge);
            return;
        }
        context.next();
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // malformed: left to Vert.x, which rejects it
        }
    }
}
