package dev.perfaas.controller.profiles;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Writes profiles where FlameScope finds them:
 * {@code <stacks-dir>/<function>/<function>-<instance>-<UTC yyyyMMdd'T'HHmmss>[-N].perf}.
 * A body is checked before anything is written, then streamed to a dot-named temp file at the root
 * (FlameScope skips dot names), synced, and renamed into place: FlameScope never sees half a file,
 * a refused upload leaves nothing behind, and a function directory appears with its first profile.
 * {@link Retention} keeps the directory within its limits; a full filesystem refuses uploads with 507.
 */
@Startup
@ApplicationScoped
public class ProfileStore {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path root;
    private final long maxBytes;
    private final Retention retention;

    public ProfileStore(PerfaasConfig config) {
        if (config.maxUploadBytes() <= 0) {
            throw new IllegalStateException("perfaas.max-upload-bytes must be positive, got " + config.maxUploadBytes());
        }
        root = config.stacksDir().toAbsolutePath().normalize();
        maxBytes = config.maxUploadBytes();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the stacks directory " + root + " (perfaas.stacks-dir)", e);
        }
        Log.infof("profiles go to %s (at most %d bytes each)", root, maxBytes);
        retention = new Retention(root, Retention.Limits.of(config.retention(), maxBytes), Clock.systemUTC());
    }

    public Retention retention() {
        return retention;
    }

    /**
     * Stores one decoded {@code perf script} body. {@code function} and {@code instance} must be safe
     * names; {@code windowStart} names the file.
     */
    public StoredProfile store(String function, String instance, Instant windowStart, InputStream decodedBody)
            throws IOException {
        InputStream in = new BufferedInputStream(new LimitedInputStream(decodedBody, maxBytes), BUFFER_SIZE);
        byte[] head = PerfScriptHead.read(in);
        Path temp = root.resolve(".upload-" + UUID.randomUUID() + ".tmp");
        try {
            SampleCounter counter = new SampleCounter();
            long bytes = write(temp, head, in, counter);
            Path target = retention.publish(bytes, () -> publish(temp, function, instance, windowStart));
            String path = root.relativize(target).toString().replace(target.getFileSystem().getSeparator(), "/");
            Log.infof("stored %s (%d bytes, %d samples)", path, bytes, counter.samples());
            return new StoredProfile(function, instance, path, bytes, counter.samples());
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && retention.isFull(io)) {
                Files.deleteIfExists(temp);
                throw retention.refuse(io);
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static long write(Path temp, byte[] head, InputStream rest, SampleCounter counter) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head);
            counter.accept(head, 0, head.length);
            long bytes = head.length;
            byte[] buffer = new byte[BUFFER_SIZE];
            int n;
            while ((n = rest.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                counter.accept(buffer, 0, n);
                bytes += n;
            }
            channel.force(true);
            return bytes;
        }
    }

    /**
     * Picks the first free name and renames into it; under the retention's lock, one at a time, so two
     * uploads never pick the same name.
     */
    private Path publish(Path temp, String function, String instance, Instant windowStart)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(function));
        String base = function + "-" + instance + "-" + STAMP.format(windowStart);
        Path target = dir.resolve(base + ".perf");
        for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            target = dir.resolve(base + "-" + n + ".perf");
        }
        return Files.move(temp, target, ATOMIC_MOVE);
    }
}
