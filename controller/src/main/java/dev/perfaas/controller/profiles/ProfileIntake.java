package dev.perfaas.controller.profiles;

import dev.perfaas.controller.functions.FunctionRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/** Takes an uploaded profile as HTTP delivers it, stores it, and counts it for its function. */
@ApplicationScoped
public class ProfileIntake {

    // File names carry a four-digit year.
    private static final long LAST_NAMEABLE_MILLIS = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    private final ProfileStore store;
    private final FunctionRegistry registry;

    public ProfileIntake(ProfileStore store, FunctionRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /**
     * {@code function} and {@code instance} are valid names; {@code window} is the window start in epoch
     * millis (the upload time names the file when it is absent or unusable). A function or instance
     * past the registry's limits is refused before anything is written.
     */
    public StoredProfile accept(String function, String instance, String window, String contentEncoding,
            InputStream body) throws IOException {
        registry.admitProfile(function, instance);
        StoredProfile stored = store.store(function, instance, windowStart(window),
                ContentEncoding.decode(contentEncoding, body));
        registry.profileStored(function, instance);
        return stored;
    }

    static Instant windowStart(String window) {
        if (window == null || window.isBlank()) {
            return Instant.now();
        }
        try {
            long millis = Long.parseLong(window.trim());
            if (millis >= 0 && millis <= LAST_NAMEABLE_MILLIS) {
                return Instant.ofEpochMilli(millis);
            }
        } catch (NumberFormatException e) {
            // falls through to the upload time, as for an out-of-range value
        }
        Log.debugf("X-Perfaas-Window \"%s\" is not usable epoch millis; naming the profile by upload time", window);
        return Instant.now();
    }
}
