package dev.perfaas.controller.profiles;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps the stacks directory within its limits: bytes per function, bytes in total, and age. It
 * manages {@code <function>/*.perf} and {@code <function>/slow/*.perf}, the files the store publishes;
 * dot names (uploads being written) and anything else in the directory are neither counted nor touched.
 *
 * <p>Profiles go oldest first by the time they were stored, the file's mtime: the controller's own
 * clock. The stamp in the name is the hook's window start, which a node's wrong clock can put
 * anywhere, and a profile named in the year 9999 would never go. Only whole files are deleted, and
 * a function's directory goes with its last profile, so FlameScope lists only functions with
 * something to open (a directory an operator put other files in stays).
 *
 * <p>An index of every profile's size and time spares a store from listing the directory: built at
 * construction, after the temp files a crash left are removed, and read again from the disk by every
 * {@link #rescan()}. Every method that touches it holds this object's lock; {@link #publish} runs the
 * store's rename under it too, so an eviction never removes the directory a profile moves into.
 */
public final class Retention {

    /** ProfileStore's temp files, at the root; none is live at construction, before the store's first upload. */
    private static final String TEMP_GLOB = ".upload-*.tmp";
    /** Below this much usable space a write error is taken for a full filesystem, whatever it says. */
    private static final long FULL_BELOW_BYTES = 1024 * 1024;

    private static final Comparator<Profile> OLDEST_FIRST = Comparator.comparingLong(Profile::storedMillis)
            .thenComparing(Profile::function)
            .thenComparing(Profile::name);

    private final Path root;
    private final Limits limits;
    private final Clock clock;
    private final NavigableSet<Profile> all = new TreeSet<>(OLDEST_FIRST);
    private final Map<String, Shelf> functions = new HashMap<>();
    private long bytes;
    private long evictedFiles;
    private long evictedBytes;
    private long refusedFull;
    private boolean full;

    /** Removes the temp files a crash left under {@code root}, indexes its profiles and applies the limits. */
    public Retention(Path root, Limits limits, Clock clock) {
        this.root = root;
        this.limits = limits;
        this.clock = clock;
        try {
            sweepTemps();
            index(scan());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stacks directory " + root + " (perfaas.stacks-dir)", e);
        }
        Log.infof(
                "retention: %d profiles of %d functions take %d bytes; limits %s",
                all.size(), functions.size(), bytes, limits);
        enforce(null);
    }

    /** Moves a written profile into place: the store's rename, run under the index's lock. */
    @FunctionalInterface
    interface Rename {
        Path into() throws IOException;
    }

    /**
     * Runs {@code rename}, indexes the {@code bytes} it moved to {@code <function>/<name>.perf} (or
     * {@code <function>/slow/<name>.perf}), and
     * applies the limits, never to that profile: its uploader is told it is stored.
     */
    synchronized Path publish(long bytes, Rename rename) throws IOException {
        Path target = rename.into();
        Path relative = root.relativize(target);
        Profile stored = new Profile(
                relative.getName(0).toString(),
                relative.subpath(1, relative.getNameCount())
                        .toString()
                        .replace(relative.getFileSystem().getSeparator(), "/"),
                bytes,
                clock.millis());
        add(stored);
        if (full) {
            full = false;
            Log.infof(
                    "the stacks filesystem takes profiles again (%s stored after %d refused with 507 since" + " start)",
                    path(stored), refusedFull);
        }
        enforce(stored);
        return target;
    }

    /** Reads the directory again, so the index follows files added or deleted by hand, and applies the limits. */
    public synchronized void rescan() throws IOException {
        index(scan());
        enforce(null);
    }

    /**
     * Whether {@code e}, met while storing a profile, means the filesystem is full: ENOSPC, or EDQUOT
     * (a quota). Asked before the temp file goes, whose bytes are what filled it.
     */
    boolean isFull(IOException e) {
        String message = e.getMessage();
        if (message != null
                && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
            return true;
        }
        // The message is strerror's, translated under some locales.
        try {
            return Files.getFileStore(root).getUsableSpace() < FULL_BELOW_BYTES;
        } catch (IOException unknown) {
            return false;
        }
    }

    /** Counts an upload refused for a full filesystem and returns its 507; warns once until a store succeeds. */
    synchronized ApiException refuse(IOException e) {
        refusedFull++;
        if (!full) {
            full = true;
            Log.warnf(
                    "the stacks filesystem %s is full (%s): uploads get 507 until space returns; profiles take %d"
                            + " bytes, limits %s",
                    root, e.getMessage(), bytes, limits);
        } else {
            Log.debugf("upload refused with 507, the stacks filesystem is still full: %s", e.getMessage());
        }
        return ApiException.insufficientStorage("the stacks directory's filesystem is full: the profile was not"
                + " stored, send it again later (profiles take " + bytes + " bytes of it, total limit "
                + Limits.bytes(limits.maxTotalBytes()) + ")");
    }

    public synchronized Status status() {
        Map<String, Usage> usage = new TreeMap<>();
        functions.forEach((name, shelf) -> usage.put(name, new Usage(shelf.profiles.size(), shelf.bytes)));
        Long usable;
        try {
            usable = Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            usable = null;
        }
        return new Status(all.size(), bytes, evictedFiles, evictedBytes, refusedFull, full, usable, limits, usage);
    }

    /** What {@code function}'s profiles take now: {@link #status()} for one function, without listing them all. */
    public synchronized Usage usage(String function) {
        Shelf shelf = functions.get(function);
        return shelf == null ? new Usage(0, 0) : new Usage(shelf.profiles.size(), shelf.bytes);
    }

    /**
     * {@code function}'s profiles in {@code shelf} (null: its own directory), newest stored first, at
     * most {@code limit}: the index, so a listing costs no directory read.
     */
    public synchronized List<Stored> newest(String function, String shelf, int limit) {
        Shelf stored = functions.get(function);
        if (stored == null) {
            return List.of();
        }
        List<Stored> newest = new ArrayList<>();
        for (Iterator<Profile> it = stored.profiles.descendingIterator(); it.hasNext() && newest.size() < limit; ) {
            Profile p = it.next();
            int slash = p.name().lastIndexOf('/');
            String in = slash < 0 ? null : p.name().substring(0, slash);
            if (Objects.equals(in, shelf)) {
                newest.add(new Stored(p.name(), p.bytes(), p.storedMillis()));
            }
        }
        return newest;
    }

    private void sweepTemps() throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(root, TEMP_GLOB)) {
            for (Path temp : temps) {
                long size = Files.size(temp);
                Files.delete(temp);
                Log.infof(
                        "removed %s (%d bytes), an upload cut short when the controller last stopped",
                        temp.getFileName(), size);
            }
        }
    }

    /** Every {@code <function>/*.perf} and {@code <function>/slow/*.perf} regular file, dot names left out. */
    private List<Profile> scan() throws IOException {
        List<Profile> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(root, entry -> !dotted(entry) && Files.isDirectory(entry, NOFOLLOW_LINKS))) {
            for (Path dir : dirs) {
                String function = dir.getFileName().toString();
                scan(dir, function, "", found);
                Path shelf = dir.resolve(SlowCalls.SHELF);
                if (Files.isDirectory(shelf, NOFOLLOW_LINKS)) {
                    scan(shelf, function, SlowCalls.SHELF + "/", found);
                }
            }
        }
        return found;
    }

    private static void scan(Path dir, String function, String prefix, List<Profile> found) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.perf")) {
            for (Path file : files) {
                if (!dotted(file)) {
                    readProfile(function, prefix, file, found);
                }
            }
        }
    }

    private static void readProfile(String function, String prefix, Path file, List<Profile> found) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
            if (a.isRegularFile()) {
                found.add(new Profile(
                        function,
                        prefix + file.getFileName(),
                        a.size(),
                        a.lastModifiedTime().toMillis()));
            }
        } catch (NoSuchFileException gone) {
            // deleted by hand while listed
        }
    }

    private static boolean dotted(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private void index(List<Profile> profiles) {
        all.clear();
        functions.clear();
        bytes = 0;
        profiles.forEach(this::add);
    }

    private void add(Profile p) {
        all.add(p);
        Shelf shelf = functions.computeIfAbsent(p.function(), f -> new Shelf());
        shelf.profiles.add(p);
        shelf.bytes += p.bytes();
        bytes += p.bytes();
    }

    /** Applies age, then each function's cap, then the total cap, oldest first; {@code keep} (or null) stays. */
    private void enforce(Profile keep) {
        Map<Reason, Usage> tally = new EnumMap<>(Reason.class);
        Profile p;
        if (!limits.maxAge().isZero()) {
            long cutoff = clock.millis() - limits.maxAge().toMillis();
            while ((p = oldest(all, keep)) != null && p.storedMillis() < cutoff) {
                evict(p, Reason.AGE, tally);
            }
        }
        if (limits.maxFunctionBytes() > 0) {
            for (String function : List.copyOf(functions.keySet())) {
                Shelf shelf;
                while ((shelf = functions.get(function)) != null
                        && shelf.bytes > limits.maxFunctionBytes()
                        && (p = oldest(shelf.profiles, keep)) != null) {
                    evict(p, Reason.FUNCTION_CAP, tally);
                }
            }
        }
        if (limits.maxTotalBytes() > 0) {
            while (bytes > limits.maxTotalBytes() && (p = oldest(all, keep)) != null) {
                evict(p, Reason.TOTAL_CAP, tally);
            }
        }
        if (!tally.isEmpty()) {
            Log.infof(
                    "retention evicted %s; %d profiles take %d bytes",
                    tally.entrySet().stream()
                            .map(t -> t.getValue().files() + " profiles ("
                                    + t.getValue().bytes() + " bytes) "
                                    + t.getKey().why(limits))
                            .collect(Collectors.joining(", ")),
                    all.size(),
                    bytes);
        }
    }

    private static Profile oldest(NavigableSet<Profile> profiles, Profile keep) {
        for (Profile p : profiles) {
            if (!p.equals(keep)) {
                return p;
            }
        }
        return null;
    }

    /** Deletes the whole file and forgets it; one that cannot be deleted is met again by the next rescan. */
    private void evict(Profile p, Reason reason, Map<Reason, Usage> tally) {
        try {
            Files.delete(root.resolve(p.function()).resolve(p.name()));
            evictedFiles++;
            evictedBytes += p.bytes();
            tally.merge(
                    reason, new Usage(1, p.bytes()), (a, b) -> new Usage(a.files() + b.files(), a.bytes() + b.bytes()));
            Log.debugf(
                    "evicted %s (%d bytes, stored %s) %s",
                    path(p), p.bytes(), Instant.ofEpochMilli(p.storedMillis()), reason.why(limits));
        } catch (NoSuchFileException gone) {
            Log.debugf("%s was already deleted", path(p));
        } catch (IOException e) {
            Log.warnf(
                    "cannot evict %s (%s): it stays on disk and out of the counts until the next rescan",
                    path(p), e.toString());
        }
        forget(p);
    }

    private void forget(Profile p) {
        all.remove(p);
        bytes -= p.bytes();
        Shelf shelf = functions.get(p.function());
        shelf.profiles.remove(p);
        shelf.bytes -= p.bytes();
        if (shelf.profiles.isEmpty()) {
            functions.remove(p.function());
            try {
                Files.deleteIfExists(root.resolve(p.function()).resolve(SlowCalls.SHELF));
                Files.delete(root.resolve(p.function()));
            } catch (DirectoryNotEmptyException | NoSuchFileException kept) {
                // an operator's files are in it, or it is gone already
            } catch (IOException e) {
                Log.debugf("cannot remove the empty directory of %s: %s", p.function(), e.toString());
            }
        }
    }

    private static String path(Profile p) {
        return p.function() + "/" + p.name();
    }

    /** 0 turns a limit off; the age reads as in the log and the setting, "PT168H", not as seconds. */
    public record Limits(
            long maxFunctionBytes,
            long maxTotalBytes,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration maxAge) {

        /** The configured limits; each byte limit set must hold a profile of {@code maxUploadBytes}. */
        public static Limits of(PerfaasConfig.RetentionSettings settings, long maxUploadBytes) {
            List<String> problems = new ArrayList<>();
            checkBytes("max-function-bytes", settings.maxFunctionBytes(), maxUploadBytes, problems);
            checkBytes("max-total-bytes", settings.maxTotalBytes(), maxUploadBytes, problems);
            if (settings.maxAge().isNegative()) {
                problems.add(
                        "perfaas.retention.max-age is " + settings.maxAge() + ": it must be 0 (no limit) or positive");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return new Limits(settings.maxFunctionBytes(), settings.maxTotalBytes(), settings.maxAge());
        }

        private static void checkBytes(String key, long value, long maxUploadBytes, List<String> problems) {
            if (value < 0) {
                problems.add("perfaas.retention." + key + " is " + value + ": it must be 0 (no limit) or positive");
            } else if (value > 0 && value < maxUploadBytes) {
                problems.add("perfaas.retention." + key + " (" + value + ") is below perfaas.max-upload-bytes ("
                        + maxUploadBytes + "): one profile would not fit; raise it or lower the upload limit");
            }
        }

        @Override
        public String toString() {
            return "per function " + bytes(maxFunctionBytes) + ", total " + bytes(maxTotalBytes) + ", age "
                    + (maxAge.isZero() ? "unlimited" : maxAge.toString());
        }

        private static String bytes(long limit) {
            return limit == 0 ? "unlimited" : limit + " bytes";
        }
    }

    /**
     * What profiles take now (files, bytes, per function), what retention deleted and how many
     * uploads were refused with 507 since start, whether the filesystem is full now and its usable
     * bytes (null when unknown).
     */
    public record Status(
            long files,
            long bytes,
            long evictedFiles,
            long evictedBytes,
            long refusedFull,
            boolean full,
            Long usableBytes,
            Limits limits,
            Map<String, Usage> functions) {}

    public record Usage(long files, long bytes) {}

    /** A profile in its function's directory: {@code name} its path there, '/'-separated ({@code slow/NAME.perf}). */
    public record Stored(String name, long bytes, long storedMillis) {}

    /** {@code name}: the file's path in its function's directory, '/'-separated. */
    private record Profile(String function, String name, long bytes, long storedMillis) {}

    /** One function's profiles, oldest first, and their bytes. */
    private static final class Shelf {
        final NavigableSet<Profile> profiles = new TreeSet<>(OLDEST_FIRST);
        long bytes;
    }

    private enum Reason {
        AGE,
        FUNCTION_CAP,
        TOTAL_CAP;

        String why(Limits limits) {
            return switch (this) {
                case AGE -> "older than " + limits.maxAge();
                case FUNCTION_CAP -> "over the per-function limit of " + limits.maxFunctionBytes() + " bytes";
                case TOTAL_CAP -> "over the total limit of " + limits.maxTotalBytes() + " bytes";
            };
        }
    }
}
