package dev.perfaas.controller.profiles;

import dev.perfaas.controller.AtomicFiles;
import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes profiles where FlameScope finds them:
 * {@code <stacks-dir>/<function>/<function>-<instance>-<UTC yyyyMMdd'T'HHmmss>[-N].perf}, and slow calls
 * in the function's {@value SlowCalls#SHELF} directory (FlameScope walks the tree).
 * A body is checked as it streams to a dot-named temp file at the root (FlameScope skips dot names),
 * then synced and renamed into place: FlameScope never sees half a file, a refused upload leaves
 * nothing behind, and a function directory appears with its first profile.
 * {@link Retention} keeps the directory within its limits; a full filesystem refuses uploads with 507.
 */
@Startup
@ApplicationScoped
public class ProfileStore {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final int BUFFER_SIZE = 64 * 1024;
    /**
     * The names this store gives, {@code <function>-<instance>-<yyyyMMdd'T'HHmmss>[-N].perf}: group 1 is
     * the function and instance, group 2 the window start.
     */
    static final Pattern STORED_NAME = Pattern.compile("(.+)-(\\d{8}T\\d{6})(-\\d+)?\\.perf");

    private final Path root;
    private final long maxBytes;
    private final Retention retention;

    public ProfileStore(PerfaasConfig config) {
        if (config.maxUploadBytes() <= 0) {
            throw new IllegalStateException(
                    "perfaas.max-upload-bytes must be positive, got " + config.maxUploadBytes());
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

    /** The stacks directory, absolute. */
    public Path root() {
        return root;
    }

    public Retention retention() {
        return retention;
    }

    /**
     * Stores one decoded {@code perf script} body. {@code function} and {@code instance} must be safe
     * names; {@code windowStart} names the file; {@code shelf} is null (the function's directory) or a
     * subdirectory of it; {@code header} (null or {@code #} comment lines) goes before the body.
     */
    public StoredProfile store(
            String function, String shelf, String instance, Instant windowStart, String header, InputStream decodedBody)
            throws IOException {
        InputStream in = new LimitedInputStream(
                decodedBody,
                maxBytes,
                "profile exceeds the limit of " + maxBytes
                        + " bytes (after decompression; setting perfaas.max-upload-bytes)");
        Path temp = root.resolve(".upload-" + UUID.randomUUID() + ".tmp");
        try {
            PerfScriptCheck check = write(temp, header, in);
            Path target = retention.publish(check.bytes(), () -> publish(temp, function, shelf, instance, windowStart));
            String path = root.relativize(target)
                    .toString()
                    .replace(target.getFileSystem().getSeparator(), "/");
            Log.infof("stored %s (%d bytes, %d samples)", path, check.bytes(), check.samples());
            return new StoredProfile(function, instance, path, check.bytes(), check.samples());
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && retention.isFull(io)) {
                Files.deleteIfExists(temp);
                throw retention.refuse(io);
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** The window start that names a profile this store named, to the second; null for another name. */
    static Instant windowStart(String fileName) {
        Matcher m = STORED_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        try {
            return STAMP.parse(m.group(2), Instant::from);
        } catch (DateTimeParseException e) {
            return null; // digits that are no date, e.g. month 13
        }
    }

    /** Each read is checked before it is written: one fixed buffer, whatever the body's size. */
    private static PerfScriptCheck write(Path temp, String header, InputStream in) throws IOException {
        PerfScriptCheck check = new PerfScriptCheck();
        AtomicFiles.writeSynced(temp, out -> {
            if (header != null) {
                byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
                check.accept(bytes, 0, bytes.length);
                check.bodyStarts();
                out.write(bytes);
            }
            byte[] buffer = new byte[BUFFER_SIZE];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                check.accept(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            check.finish();
        });
        return check;
    }

    /**
     * Picks the first free name and renames into it; under the retention's lock, one at a time, so two
     * uploads never pick the same name.
     */
    private Path publish(Path temp, String function, String shelf, String instance, Instant windowStart)
            throws IOException {
        Path dir =
                shelf == null ? root.resolve(function) : root.resolve(function).resolve(shelf);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            // Only then: on an existing directory createDirectories builds and catches an exception.
            Files.createDirectories(dir);
        }
        String base = function + "-" + instance + "-" + STAMP.format(windowStart);
        Path target = dir.resolve(base + ".perf");
        for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            target = dir.resolve(base + "-" + n + ".perf");
        }
        // Synced with its directory, or a power cut may lose a profile answered 201.
        return AtomicFiles.rename(temp, target);
    }
}
