package dev.perfaas.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.Refusals;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.CharConversionException;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as {"error": "..."} with its status. */
public class ErrorMapper {

    private final Refusals refusals;

    public ErrorMapper(Refusals refusals) {
        this.refusals = refusals;
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> refused(ApiException e) {
        refusals.count(e.reason());
        RestResponse<ErrorBody> answer = error(e.status(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            answer.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return answer;
    }

    // Listed apart from JsonProcessingException because Quarkus maps this subtype itself otherwise.
    @ServerExceptionMapper
    public RestResponse<ErrorBody> mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> json(JsonProcessingException e) {
        refusals.count(Refusal.INVALID_JSON);
        String where = e instanceof JsonMappingException mapping
                        && !mapping.getPath().isEmpty()
                ? " (at "
                        + mapping.getPath().stream()
                                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                .collect(Collectors.joining("."))
                        + ")"
                : "";
        return error(400, "invalid JSON body" + where + ": " + e.getOriginalMessage());
    }

    // Jackson guesses a JSON body's encoding from its first bytes; bytes that look like UTF-32 but
    // are not fail as this plain IOException instead of a JsonProcessingException (found by ReportFuzzTest).
    @ServerExceptionMapper
    public RestResponse<ErrorBody> encoding(CharConversionException e) {
        refusals.count(Refusal.INVALID_JSON);
        return error(400, "invalid JSON body: " + e.getMessage());
    }

    // Quarkus wraps JSON syntax errors in a bare 400; the parser's message says where the body broke.
    @ServerExceptionMapper
    public RestResponse<ErrorBody> web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        return error(e.getResponse().getStatus(), e.getMessage());
    }

    // Throwable, not Exception: an Error such as OutOfMemoryError would otherwise leave as plain text.
    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e, HttpServerRequest request) {
        if (request.response().ended()) {
            // Quarkus has answered already, e.g. 413 for a chunked body over quarkus.http.limits.max-body-size.
            Log.debugf("request failed after its response was sent: %s", e.toString());
            return RestResponse.status(request.response().getStatusCode());
        }
        Log.error("request failed", e);
        return error(500, "internal error: " + e);
    }

    private static RestResponse<ErrorBody> error(int status, String message) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status)
                .entity(new ErrorBody(message))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
