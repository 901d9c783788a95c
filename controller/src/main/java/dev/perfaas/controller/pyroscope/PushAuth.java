package dev.perfaas.controller.pyroscope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The Authorization header of a push, read from its file before each push so that a rotated secret
 * (a Kubernetes or OpenFaaS secret updated in place) is used without a restart.
 */
final class PushAuth {

    private final Path file;
    private final boolean basic;

    private PushAuth(Path file, boolean basic) {
        this.file = file;
        this.basic = basic;
    }

    /** Null when neither file is set; both set is a startup error, as is a file that cannot be read. */
    static PushAuth of(Optional<Path> basicFile, Optional<Path> bearerFile) {
        if (basicFile.isPresent() && bearerFile.isPresent()) {
            throw new IllegalStateException(
                    "set perfaas.pyroscope.basic-auth-file or perfaas.pyroscope.bearer-token-file," + " not both");
        }
        PushAuth auth = basicFile
                .map(f -> new PushAuth(f, true))
                .or(() -> bearerFile.map(f -> new PushAuth(f, false)))
                .orElse(null);
        if (auth != null) {
            try {
                auth.header();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the Pyroscope credentials: " + e.getMessage(), e);
            }
        }
        return auth;
    }

    String header() throws IOException {
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        if (!basic) {
            return "Bearer " + secret;
        }
        if (secret.indexOf(':') < 0) {
            throw new IOException(file + " must hold user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    }
}
