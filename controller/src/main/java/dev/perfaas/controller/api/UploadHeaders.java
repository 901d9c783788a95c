package dev.perfaas.controller.api;

import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.profiles.ProfileHeader;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * The headers every profile upload may carry (docs/protocol.md): the instance that sent it, the
 * epoch milliseconds that name its file, the body's encoding, and what the stored file's
 * {@link ProfileHeader} line says of it (engine, version, frequency, clock offset). Checked by
 * ProfileIntake and ProfileHeader.
 */
public record UploadHeaders(
        @RestHeader("X-Perfaas-Instance") String instance,
        @RestHeader("X-Perfaas-Window") String window,
        @RestHeader(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
        @RestHeader("X-Perfaas-Engine") String engine,
        @RestHeader("X-Perfaas-Version") String version,
        @RestHeader("X-Perfaas-Frequency-Hz") String frequencyHz,
        @RestHeader("X-Perfaas-Clock-Offset-Nanos") String clockOffsetNanos) {

    /** The stored file's header for {@code function}; the instance, when not sent, is {@code fallback}. */
    ProfileHeader profileHeader(String function, String fallbackInstance) {
        return ProfileHeader.ofUpload(
                function,
                SafeName.instanceOr(instance, fallbackInstance),
                engine,
                version,
                frequencyHz,
                clockOffsetNanos);
    }
}
