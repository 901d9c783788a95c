package dev.perfaas.controller.api;

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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Profiles from trace hooks: {@code perf script --header} text, plain or gzip. */
@Path("/v1/profiles")
public class ProfileResource {

    private final ProfileIntake intake;

    public ProfileResource(ProfileIntake intake) {
        this.intake = intake;
    }

    // Any content type: the body is streamed as is, never parsed as a form or JSON.
    @POST
    @Path("{function}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StoredProfile> upload(
            @RestPath String function, @BeanParam UploadHeaders headers, InputStream body) throws IOException {
        StoredProfile stored = intake.accept(
                headers.profileHeader(SafeName.function(function), "unknown"),
                headers.window(),
                headers.contentEncoding(),
                body);
        return RestResponse.status(RestResponse.Status.CREATED, stored);
    }
}
