package dev.perfaas.controller.api;

import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What the HTTP layer does around profile uploads (POST / and POST /v1/profiles/...), whose bodies
 * the profile intake streams through fixed buffers:
 * <ul>
 * <li>A body without Content-Length is held to perfaas.max-upload-bytes by the intake, which answers
 *     JSON, instead of by Quarkus' stream, which answers an empty 413: the route takes off the limit
 *     Quarkus' upload-limit route attaches for its stream.
 * <li>A body answered before its end (a refusal, 503 or 408) is read on and dropped for at most
 *     perfaas.upload-timeout, then the connection is closed. Quarkus resumes reading such a request
 *     when its answer is out (so the client can finish sending and read the answer), but RESTEasy's
 *     body stream would still be listening and queue every chunk in memory.
 * </ul>
 */
@ApplicationScoped
public class UploadRoute {

    private final long drainMillis;

    public UploadRoute(PerfaasConfig config) {
        drainMillis = config.uploadTimeout().toMillis();
    }

    void install(@Observes Router router) {
        // After Quarkus' upload-limit route, which sets the limit, before the REST routes.
        int order = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;
        router.post("/").order(order).handler(this::handle);
        router.post("/v1/profiles/*").order(order).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        context.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
        HttpServerRequest request = context.request();
        context.addEndHandler(answered -> {
            if (answered.succeeded() && !request.isEnded()) {
                request.handler(dropped -> {});
                request.resume();
                context.vertx().setTimer(drainMillis, timer -> {
                    if (!request.isEnded()) {
                        request.connection().close();
                    }
                });
            }
        });
        context.next();
    }
}
