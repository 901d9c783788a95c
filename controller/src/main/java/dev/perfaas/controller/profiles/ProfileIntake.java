package dev.perfaas.controller.profiles;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.functions.FunctionRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Takes an uploaded profile as HTTP delivers it, stores it, and counts it for its function. The
 * body is streamed: an upload holds fixed buffers, never the body, within the limits of its
 * {@link UploadBudget} slot, perfaas.max-upload-bytes (sent and decompressed) and
 * perfaas.max-gzip-ratio.
 */
@ApplicationScoped
public class ProfileIntake {

    // File names carry a four-digit year.
    private static final long LAST_NAMEABLE_MILLIS =
            Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    private final ProfileStore store;
    private final FunctionRegistry registry;
    private final UploadBudget budget;
    private final long maxBytes;
    private final int maxGzipRatio;

    public ProfileIntake(ProfileStore store, FunctionRegistry registry, UploadBudget budget, PerfaasConfig config) {
        this.store = store;
        this.registry = registry;
        this.budget = budget;
        this.maxBytes = config.maxUploadBytes();
        this.maxGzipRatio = config.maxGzipRatio();
        if (maxGzipRatio < 1) {
            throw new IllegalStateException("perfaas.max-gzip-ratio must be at least 1, got " + maxGzipRatio);
        }
    }

    /**
     * {@code function} and {@code instance} are valid names; {@code window} is the window start in epoch
     * millis (the upload time names the file when it is absent or unusable). A function or instance
     * past the registry's limits is refused, and nothing of the body is read before a slot is taken.
     */
    public StoredProfile accept(
            String function, String instance, String window, String contentEncoding, InputStream body)
            throws IOException {
        return accept(function, null, instance, windowStart(window), null, contentEncoding, body);
    }

    /** Into {@code shelf}, a subdirectory of the function's (null: the function's), {@code header} first; see ProfileStore. */
    StoredProfile accept(
            String function,
            String shelf,
            String instance,
            Instant windowStart,
            String header,
            String contentEncoding,
            InputStream body)
            throws IOException {
        registry.admitProfile(function, instance);
        StoredProfile stored;
        UploadBudget.Slot slot = budget.take();
        try (slot) {
            InputStream sent = new LimitedInputStream(
                    body,
                    maxBytes,
                    "request body exceeds the limit of " + maxBytes + " bytes (setting perfaas.max-upload-bytes)");
            stored = store.store(
                    function,
                    shelf,
                    instance,
                    windowStart,
                    header,
                    ContentEncoding.decode(contentEncoding, sent, maxGzipRatio));
        } catch (IOException e) {
            if (slot.expired()) {
                throw slot.timedOut(); // the deadline interrupted a read or a write
            }
            throw e;
        }
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
