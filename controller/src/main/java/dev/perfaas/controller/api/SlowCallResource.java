package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.profiles.SlowCalls;
import dev.perfaas.controller.profiles.StoredProfile;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Slow calls' profiles from trace hooks (see SlowCalls), and their listing. */
@Path("/v1/profiles/{function}/slow")
public class SlowCallResource {

    static final int MAX_LISTED = 100;

    private final SlowCalls slowCalls;

    public SlowCallResource(SlowCalls slowCalls) {
        this.slowCalls = slowCalls;
    }

    // Any content type: the body is streamed as is, as for ProfileResource.
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StoredProfile> upload(
            @RestPath String function,
            @BeanParam UploadHeaders headers,
            @RestHeader("X-Perfaas-Call-Id") String callId,
            @RestHeader("X-Perfaas-Latency-Millis") String latency,
            @RestHeader("X-Perfaas-Threshold-Millis") String threshold,
            @RestHeader("X-Perfaas-Call-Ended") String ended,
            InputStream body)
            throws IOException {
        StoredProfile stored = slowCalls.accept(
                headers.profileHeader(SafeName.function(function), "unknown"),
                headers.window(),
                callId,
                latency,
                threshold,
                ended,
                headers.contentEncoding(),
                body);
        return RestResponse.status(RestResponse.Status.CREATED, stored);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<SlowCalls.SlowCall> list(@RestPath String function, @RestQuery @DefaultValue("20") int limit)
            throws IOException {
        if (limit < 1 || limit > MAX_LISTED) {
            throw ApiException.badRequest("limit must be in [1, " + MAX_LISTED + "], got " + limit);
        }
        return slowCalls.latest(SafeName.function(function), limit);
    }
}
