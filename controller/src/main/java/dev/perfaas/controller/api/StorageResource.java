package dev.perfaas.controller.api;

import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.Retention;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the stacks directory holds, what retention deleted, and whether uploads are refused for a full disk. */
@Path("/v1/storage")
public class StorageResource {

    private final ProfileStore store;

    public StorageResource(ProfileStore store) {
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Retention.Status status() {
        return store.retention().status();
    }
}
