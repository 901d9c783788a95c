package dev.perfaas.controller.pyroscope;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.pprof.Pprof;
import dev.perfaas.controller.pprof.SampleKind;
import dev.perfaas.controller.profiles.ProfileHeader;
import dev.perfaas.controller.profiles.ProfileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The pprof encoder (the same bytes as {@code ?format=pprof}) behind the push. */
@ApplicationScoped
class StoredPprof implements PprofSource {

    private final Path root;

    StoredPprof(ProfileStore store) {
        this.root = store.root();
    }

    @Override
    public Pushable encode(String path, boolean withInstance) throws IOException {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root)) {
            throw new NoSuchFileException(path); // a queue entry edited by hand
        }
        ProfileHeader header = ProfileHeader.read(file);
        Pprof.Encoded encoded;
        try {
            encoded = Pprof.of(file, withInstance);
        } catch (ApiException busy) { // ProfileReads' 503: the dashboard is reading
            throw new Busy(busy.getMessage());
        }
        int sampleTypes = header.frequencyHz() == null ? 1 : 2;
        return new PprofSource.Pushable(
                encoded.gzip(),
                encoded.timeNanos(),
                encoded.kind().type,
                encoded.kind() == SampleKind.WALL ? 2 * sampleTypes : sampleTypes,
                header.engine(),
                header.version());
    }
}
