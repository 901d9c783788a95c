package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A function's window profiles over a time range, merged into one set of stacks: every instance's, every
 * window's, frames merged by name (as the dashboard merges them). A profile is in the range when the
 * window start that names its file is ({@link ProfileStore#windowStart}): perf times are each machine's
 * monotonic clock, so the file's name is the one wall-clock time every profile has. Slow calls are left
 * out (one call each, not a window's share of the function's time). A version or an engine, when asked,
 * keeps only the profiles whose {@link ProfileHeader} says so.
 *
 * <p>Bounded like one profile's read: one of {@link ProfileReads} at once, {@link StackReader}'s caps on
 * what it holds, the files read one after the other; and at most {@link #MAX_FILES} files and
 * {@link #MAX_BYTES} bytes a merge, else a 400 asks for a narrower range.
 */
public final class MergedProfiles {

    /** Files merged at most: an hour of 10 instances' profiles is 600 at one a minute each. */
    public static final int MAX_FILES = 5_000;
    /** Bytes read at most by a merge (see BENCHMARKS.md for the time a merge takes per MB). */
    public static final long MAX_BYTES = 1L << 30;
    /** The widest range asked: the longest retention that makes sense for window profiles. */
    public static final Duration MAX_SPAN = Duration.ofDays(31);

    /**
     * The merged stacks of {@code files} profiles of {@code function} stored for windows starting in
     * [from, to), of {@code version} and {@code engine} (null: any): {@code names} and {@code stacks} as
     * {@link ProfileSamples.Samples} has them (the heaviest, the rest in {@code otherStacks}).
     * {@code versions} and {@code engines} count the range's profiles by their header's, whatever was asked.
     */
    public record Merged(
            String function,
            Instant from,
            Instant to,
            String version,
            String engine,
            Map<String, Integer> versions,
            Map<String, Integer> engines,
            int files,
            long bytes,
            long samples,
            List<String> names,
            List<long[]> stacks,
            long otherStacks,
            long skippedLines) {}

    private MergedProfiles() {}

    /** A 400 for a range that is empty, reversed, wider than {@link #MAX_SPAN} or holds more than a merge reads. */
    public static Merged read(
            ProfileStore store, String function, Instant from, Instant to, String version, String engine)
            throws IOException {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to (got from " + from + ", to " + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw ApiException.badRequest("the range spans more than " + MAX_SPAN.toDays() + " days: narrow it (from "
                    + from + ", to " + to + ")");
        }
        List<Retention.Stored> inRange = new ArrayList<>();
        long bytes = 0;
        for (Retention.Stored p : store.retention().newest(function, null, Integer.MAX_VALUE)) {
            Instant start = ProfileStore.windowStart(p.name());
            if (start != null && !start.isBefore(from) && start.isBefore(to)) {
                inRange.add(p);
                bytes += p.bytes();
            }
        }
        if (inRange.size() > MAX_FILES || bytes > MAX_BYTES) {
            throw ApiException.badRequest("the range holds " + inRange.size() + " profiles of " + function + " ("
                    + bytes + " bytes), more than a merge reads (" + MAX_FILES + " profiles, " + MAX_BYTES
                    + " bytes): narrow the range");
        }
        long total = bytes;
        return ProfileReads.run(() -> {
            StackReader reader = new StackReader();
            Map<String, Integer> versions = new TreeMap<>();
            Map<String, Integer> engines = new TreeMap<>();
            int read = 0;
            for (Retention.Stored p : inRange) {
                Path path = store.root().resolve(function).resolve(p.name());
                try {
                    ProfileHeader header = ProfileHeader.read(path);
                    versions.merge(header.version(), 1, Integer::sum);
                    engines.merge(header.engine(), 1, Integer::sum);
                    if (version != null && !version.equals(header.version())
                            || engine != null && !engine.equals(header.engine())) {
                        continue;
                    }
                    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                        reader.readAll(in);
                        read++;
                    }
                } catch (NoSuchFileException e) {
                    // retention deleted it meanwhile: the merge is of those still stored
                }
            }
            StackReader.Stacks heaviest = reader.heaviest();
            return new Merged(
                    function,
                    from,
                    to,
                    version,
                    engine,
                    versions,
                    engines,
                    read,
                    total,
                    reader.samples(),
                    heaviest.names(),
                    heaviest.stacks(),
                    heaviest.otherStacks(),
                    reader.skippedLines());
        });
    }
}
