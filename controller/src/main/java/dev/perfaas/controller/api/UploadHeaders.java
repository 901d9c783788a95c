package dev.perfaas.controller.api;

import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * The headers every profile upload may carry (docs/protocol.md): the instance that sent it, the
 * epoch milliseconds that name its file, and the body's encoding. Checked by ProfileIntake.
 */
public record UploadHeaders(
        @RestHeader("X-Perfaas-Instance") String instance,
        @RestHeader("X-Perfaas-Window") String window,
        @RestHeader(HttpHeaders.CONTENT_ENCODING) String contentEncoding) {}
