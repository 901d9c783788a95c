package dev.perfaas.controller.profiles;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.pyroscope.PyroscopeExport;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Takes an uploaded profile as HTTP delivers it, stores it, and counts it for its function. The
 * body is streamed: an upload holds fixed buffers, never the body, within the limits of its
 * {@link UploadBudget} slot, perfaas.max-upload-bytes (sent and decompressed) and
 * perfaas.max-gzip-ratio. A stored profile is queued for Grafana Pyroscope when a push is configured.
 */
@ApplicationScoped
public class ProfileIntake {

    // File names carry a four-digit year.
    private static final long LAST_NAMEABLE_MILLIS =
            Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    private final ProfileStore store;
    private final FunctionRegistry registry;
    private final UploadBudget budget;
    private final PyroscopeExport pyroscope;
    private final long maxBytes;
    private final int maxGzipRatio;

    public ProfileIntake(
            ProfileStore store,
            FunctionRegistry registry,
            UploadBudget budget,
            PyroscopeExport pyroscope,
            PerfaasConfig config) {
        this.store = store;
        this.registry = registry;
        this.budget = budget;
        this.pyroscope = pyroscope;
        this.maxBytes = config.maxUploadBytes();
        this.maxGzipRatio = config.maxGzipRatio();
        if (maxGzipRatio < 1) {
            throw new IllegalStateException("perfaas.max-gzip-ratio must be at least 1, got " + maxGzipRatio);
        }
    }

    /**
     * {@code header} names the function and instance (valid names) and is written as the file's first
     * line; {@code window} is the window start in epoch millis (the upload time names the file when it
     * is absent or unusable). A function or instance past the registry's limits is refused, and nothing
     * of the body is read before a slot is taken.
     */
    public StoredProfile accept(ProfileHeader header, String window, String contentEncoding, InputStream body)
            throws IOException {
        return accept(header, null, windowStart(window), null, contentEncoding, body);
    }

    /**
     * Into {@code shelf}, a subdirectory of the function's (null: the function's), {@code mark} (null or a
     * comment line) first, then the header's line; see ProfileStore.
     */
    StoredProfile accept(
            ProfileHeader header,
            String shelf,
            Instant windowStart,
            String mark,
            String contentEncoding,
            InputStream body)
            throws IOException {
        String function = header.function();
        String instance = header.instance();
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
                    (mark == null ? "" : mark) + header.line(),
                    ContentEncoding.decode(contentEncoding, sent, maxGzipRatio));
        } catch (IOException e) {
            if (slot.expired()) {
                throw slot.timedOut(); // the deadline interrupted a read or a write
            }
            throw e;
        }
        registry.profileStored(function, instance);
        pyroscope.stored(stored);
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
