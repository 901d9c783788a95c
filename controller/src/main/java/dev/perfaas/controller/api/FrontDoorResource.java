package dev.perfaas.controller.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The controller's bare address, opened in a browser (GET, and HEAD through it), leads to the
 * dashboard. POST / stays the seed's upload ({@link SeedUploadResource}).
 */
@Path("/")
public class FrontDoorResource {

    static final URI DASHBOARD = URI.create("/dashboard/");

    // 303: the dashboard is where to look now, not a new home of "/" to remember (a 301 would be cached).
    @GET
    public RestResponse<Void> dashboard() {
        return RestResponse.seeOther(DASHBOARD);
    }
}
