package dev.perfaas.controller.api;

import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bearer tokens write requests must carry: perfaas.api-token and the trimmed contents of
 * perfaas.api-token-file, read once at startup. None configured means writes are open.
 */
@Startup
@ApplicationScoped
public class ApiTokens {

    private static final String BEARER = "bearer ";

    private final List<byte[]> accepted = new ArrayList<>();

    public ApiTokens(PerfaasConfig config) {
        config.apiToken().ifPresent(token -> accepted.add(token.trim().getBytes(StandardCharsets.UTF_8)));
        config.apiTokenFile().ifPresent(file -> accepted.add(read(file)));
    }

    private static byte[] read(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file + " (perfaas.api-token-file)", e);
        }
        if (token.isEmpty()) {
            throw new IllegalStateException("the API token file " + file + " (perfaas.api-token-file) is empty");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean required() {
        return !accepted.isEmpty();
    }

    /** True when the Authorization header value is "Bearer " and a configured token. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return false;
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : accepted) {
            match |= MessageDigest.isEqual(token, offered); // constant time: no early exit on a near miss
        }
        return match;
    }
}
