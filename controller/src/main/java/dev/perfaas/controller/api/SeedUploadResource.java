package dev.perfaas.controller.api;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.profiles.ProfileIntake;
import dev.perfaas.controller.profiles.StoredProfile;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The collector of the original perf-in-OpenFaaS write-up:
 * {@code curl -X POST http://HOST:9876/ -H 'X-name: fn' --data-binary @trace.perf}.
 */
@Path("/")
public class SeedUploadResource {

    private final ProfileIntake intake;

    public SeedUploadResource(ProfileIntake intake) {
        this.intake = intake;
    }

    // curl labels --data-binary as application/x-www-form-urlencoded; the body is still perf text.
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StoredProfile> upload(
            @RestHeader("X-name") String function, @BeanParam UploadHeaders headers, InputStream body)
            throws IOException {
        if (function == null) {
            throw ApiException.badRequest(Refusal.INVALID_NAME, "header X-name is missing: it names the function");
        }
        StoredProfile stored = intake.accept(
                headers.profileHeader(SafeName.function(function), "seed"),
                headers.window(),
                headers.contentEncoding(),
                body);
        return RestResponse.status(RestResponse.Status.CREATED, stored);
    }
}
