package dev.perfaas.controller.profiles;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration NO_AGE = Duration.ZERO;

    @TempDir
    Path root;

    /** A file under the stacks directory: its path, size and how long ago it was written (its mtime). */
    record Stored(String path, int bytes, long minutesAgo) {}

    static Stored f(String path, int bytes, long minutesAgo) {
        return new Stored(path, bytes, minutesAgo);
    }

    static Stream<Arguments> startup() {
        return Stream.of(
                step(
                        "under every limit nothing goes",
                        limits(300, 1000, Duration.ofDays(7)),
                        List.of(f("a/1.perf", 100, 60), f("a/2.perf", 100, 30), f("b/1.perf", 100, 10)),
                        List.of("a", "a/1.perf", "a/2.perf", "b", "b/1.perf")),
                step(
                        "per-function limit: that function's oldest go until it fits, other functions stay",
                        limits(250, 0, NO_AGE),
                        List.of(
                                f("a/1.perf", 100, 60),
                                f("a/2.perf", 100, 50),
                                f("a/3.perf", 100, 40),
                                f("b/1.perf", 100, 70)),
                        List.of("a", "a/2.perf", "a/3.perf", "b", "b/1.perf")),
                step(
                        "total limit: the oldest of any function go until all fit",
                        limits(0, 250, NO_AGE),
                        List.of(f("a/1.perf", 100, 60), f("b/1.perf", 100, 70), f("a/2.perf", 100, 10)),
                        List.of("a", "a/1.perf", "a/2.perf")),
                step(
                        "age: older than max-age goes, exactly max-age stays",
                        limits(0, 0, Duration.ofHours(1)),
                        List.of(f("a/1.perf", 100, 61), f("a/2.perf", 100, 60), f("a/3.perf", 100, 59)),
                        List.of("a", "a/2.perf", "a/3.perf")),
                step(
                        "0 turns every limit off",
                        limits(0, 0, NO_AGE),
                        List.of(f("a/1.perf", 5000, 60 * 24 * 365), f("b/1.perf", 5000, 1)),
                        List.of("a", "a/1.perf", "b", "b/1.perf")),
                step(
                        "oldest by the time stored (mtime), not by the window stamp in the name",
                        limits(0, 150, NO_AGE),
                        List.of(f("a/a-i-20261123T110000.perf", 100, 10), f("a/a-i-20261123T100000.perf", 100, 5)),
                        List.of("a", "a/a-i-20261123T100000.perf")),
                step(
                        "a profile over a lowered limit on its own goes whole, with its directory",
                        limits(150, 0, NO_AGE),
                        List.of(f("a/1.perf", 200, 10), f("b/1.perf", 100, 20)),
                        List.of("b", "b/1.perf")),
                step(
                        "a directory goes with its last profile, unless other files are in it",
                        limits(0, 0, Duration.ofHours(1)),
                        List.of(f("a/1.perf", 100, 120), f("b/1.perf", 100, 120), f("b/notes.txt", 100, 120)),
                        List.of("b", "b/notes.txt")),
                step(
                        "only <function>/*.perf is counted or deleted: dot names, other files, the root's files stay",
                        limits(0, 100, Duration.ofHours(1)),
                        List.of(
                                f("a/1.perf", 50, 1),
                                f("a/.hidden.perf", 1000, 120),
                                f("a/readme.txt", 1000, 120),
                                f("top.perf", 1000, 120),
                                f(".flamescope/x.perf", 1000, 120),
                                f(".upload-x.tmp.keep", 10, 120)),
                        List.of(
                                ".flamescope",
                                ".flamescope/x.perf",
                                ".upload-x.tmp.keep",
                                "a",
                                "a/.hidden.perf",
                                "a/1.perf",
                                "a/readme.txt",
                                "top.perf")),
                step(
                        "slow calls count in their function's bytes and go oldest first with its profiles",
                        limits(250, 0, NO_AGE),
                        List.of(
                                f("a/slow/1.perf", 100, 60),
                                f("a/1.perf", 100, 50),
                                f("a/slow/2.perf", 100, 40),
                                f("a/slow/deeper/3.perf", 1000, 70)),
                        List.of("a", "a/1.perf", "a/slow", "a/slow/2.perf", "a/slow/deeper", "a/slow/deeper/3.perf")),
                step(
                        "the slow directory goes with the function's last profile",
                        limits(0, 0, Duration.ofHours(1)),
                        List.of(f("a/slow/1.perf", 100, 120), f("a/1.perf", 100, 120), f("b/1.perf", 100, 1)),
                        List.of("b", "b/1.perf")),
                step(
                        "temp files a crash left at the root are removed, whatever the limits",
                        limits(0, 0, NO_AGE),
                        List.of(
                                f(".upload-1.tmp", 100, 1),
                                f(".upload-2.tmp", 0, 1),
                                f(".other.tmp", 10, 1),
                                f("a/.upload-3.tmp", 10, 1),
                                f("a/1.perf", 100, 1)),
                        List.of(".other.tmp", "a", "a/.upload-3.tmp", "a/1.perf")));
    }

    /** One step: the directory holds {@code before} when the controller starts; {@code after} is left. */
    @ParameterizedTest
    @MethodSource
    void startup(Retention.Limits limits, List<Stored> before, List<String> after) throws IOException {
        write(before);
        new Retention(root, limits, CLOCK);
        assertEquals(after, Stacks.entries(root));
        assertWhole(before);
    }

    static Stream<Arguments> store() {
        return Stream.of(
                stored(
                        "per-function limit: the stored profile's function loses its oldest",
                        limits(250, 0, NO_AGE),
                        List.of(f("a/1.perf", 100, 60), f("a/2.perf", 100, 50), f("b/1.perf", 100, 70)),
                        f("a/3.perf", 100, 0),
                        List.of("a", "a/2.perf", "a/3.perf", "b", "b/1.perf")),
                stored(
                        "total limit: the oldest of any function goes",
                        limits(0, 250, NO_AGE),
                        List.of(f("b/1.perf", 100, 60), f("a/1.perf", 100, 50)),
                        f("a/2.perf", 100, 0),
                        List.of("a", "a/1.perf", "a/2.perf")),
                stored(
                        "the profile just stored stays, even over a limit on its own",
                        limits(150, 0, NO_AGE),
                        List.of(f("a/1.perf", 100, 10)),
                        f("a/2.perf", 200, 0),
                        List.of("a", "a/2.perf")),
                stored(
                        "age is applied too; the aged function's directory goes",
                        limits(0, 0, Duration.ofHours(1)),
                        List.of(f("a/1.perf", 100, 120), f("b/1.perf", 100, 10)),
                        f("b/2.perf", 100, 0),
                        List.of("b", "b/1.perf", "b/2.perf")),
                stored(
                        "a first profile creates its function's directory",
                        limits(250, 250, Duration.ofHours(1)),
                        List.of(f("a/1.perf", 100, 10)),
                        f("c/1.perf", 100, 0),
                        List.of("a", "a/1.perf", "c", "c/1.perf")));
    }

    /** One step: with {@code before} indexed, a profile is stored as ProfileStore does; {@code after} is left. */
    @ParameterizedTest
    @MethodSource
    void store(Retention.Limits limits, List<Stored> before, Stored stored, List<String> after) throws IOException {
        write(before);
        Retention retention = new Retention(root, limits, CLOCK);
        publish(retention, stored);
        assertEquals(after, Stacks.entries(root));
        assertWhole(Stream.concat(before.stream(), Stream.of(stored)).toList());
    }

    @Test
    void statusCountsWhatIsStoredAndWhatWasEvicted() throws IOException {
        write(List.of(f("a/1.perf", 100, 60), f("a/2.perf", 100, 50), f("b/1.perf", 40, 10)));
        Retention retention = new Retention(root, limits(250, 0, NO_AGE), CLOCK);
        publish(retention, f("a/3.perf", 70, 0));
        Retention.Status status = retention.status();
        assertEquals(3, status.files());
        assertEquals(210, status.bytes());
        assertEquals(1, status.evictedFiles());
        assertEquals(100, status.evictedBytes());
        assertEquals(Map.of("a", new Retention.Usage(2, 170), "b", new Retention.Usage(1, 40)), status.functions());
        assertFalse(status.full());
    }

    /** Stores count from the index; files added or deleted by hand are seen at the next rescan. */
    @Test
    void rescanFollowsFilesChangedByHand() throws IOException {
        write(List.of(f("a/1.perf", 100, 60), f("a/2.perf", 100, 50)));
        Retention retention = new Retention(root, limits(0, 250, NO_AGE), CLOCK);
        Files.delete(root.resolve("a/1.perf"));
        write(List.of(f("b/1.perf", 100, 70)));
        publish(retention, f("a/3.perf", 10, 0));
        assertEquals(new Retention.Usage(3, 210), retention.status().functions().get("a"));
        assertEquals(null, retention.status().functions().get("b"));

        retention.rescan();
        assertEquals(List.of("a", "a/2.perf", "a/3.perf", "b", "b/1.perf"), Stacks.entries(root));
        assertEquals(
                Map.of("a", new Retention.Usage(2, 110), "b", new Retention.Usage(1, 100)),
                retention.status().functions());
    }

    /** A pass meets uploads being written as dot-named temp files at the root: never counted, never deleted. */
    @Test
    void anUploadBeingWrittenIsNeitherCountedNorEvicted() throws IOException {
        Retention retention = new Retention(root, limits(0, 100, Duration.ofHours(1)), CLOCK);
        write(List.of(f(".upload-live.tmp", 5000, 120)));
        retention.rescan();
        assertEquals(List.of(".upload-live.tmp"), Stacks.entries(root));
        assertEquals(0, retention.status().bytes());
    }

    @Test
    void aRefusalMarksTheFilesystemFullUntilAProfileIsStored() throws IOException {
        Retention retention = new Retention(root, limits(0, 0, NO_AGE), CLOCK);
        var refused = retention.refuse(new IOException("No space left on device"));
        assertEquals(507, refused.status());
        assertTrue(refused.getMessage().startsWith("the stacks directory's filesystem is full"), refused.getMessage());
        assertTrue(retention.status().full());
        retention.refuse(new IOException("No space left on device"));
        assertEquals(2, retention.status().refusedFull());

        publish(retention, f("a/1.perf", 10, 0));
        assertFalse(retention.status().full());
        assertEquals(2, retention.status().refusedFull());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new IOException("No space left on device"), true),
                Arguments.of(new FileSystemException("/stacks/pi", null, "No space left on device"), true),
                Arguments.of(new FileSystemException("/stacks/.upload-1.tmp", null, "Disk quota exceeded"), true),
                Arguments.of(new IOException("Broken pipe"), false),
                Arguments.of(new IOException((String) null), false));
    }

    /** On a filesystem with room, only the message tells a full disk from any other failure. */
    @ParameterizedTest
    @MethodSource
    void failures(IOException failure, boolean full) {
        assertEquals(full, new Retention(root, limits(0, 0, NO_AGE), CLOCK).isFull(failure));
    }

    static Stream<Arguments> settings() {
        long upload = 1000;
        return Stream.of(
                Arguments.of(new Settings(1000, 4000, Duration.ofDays(7)), upload, null),
                Arguments.of(new Settings(0, 0, Duration.ZERO), upload, null),
                Arguments.of(
                        new Settings(-1, 4000, Duration.ZERO),
                        upload,
                        "perfaas.retention.max-function-bytes is -1: it must be 0 (no limit) or positive"),
                Arguments.of(
                        new Settings(999, 4000, Duration.ZERO),
                        upload,
                        "perfaas.retention.max-function-bytes (999) is below perfaas.max-upload-bytes (1000): one"
                                + " profile would not fit; raise it or lower the upload limit"),
                Arguments.of(
                        new Settings(0, 10, Duration.ofHours(-1)),
                        upload,
                        "perfaas.retention.max-total-bytes (10) is below perfaas.max-upload-bytes (1000): one profile"
                                + " would not fit; raise it or lower the upload limit; perfaas.retention.max-age is"
                                + " PT-1H: it must be 0 (no limit) or positive"));
    }

    /** Limits are checked at startup; a null problem means they are taken as set. */
    @ParameterizedTest
    @MethodSource
    void settings(Settings settings, long maxUploadBytes, String problem) {
        if (problem == null) {
            assertEquals(
                    limits(settings.maxFunctionBytes(), settings.maxTotalBytes(), settings.maxAge()),
                    Retention.Limits.of(settings, maxUploadBytes));
        } else {
            assertEquals(
                    problem,
                    assertThrows(IllegalStateException.class, () -> Retention.Limits.of(settings, maxUploadBytes))
                            .getMessage());
        }
    }

    record Settings(long maxFunctionBytes, long maxTotalBytes, Duration maxAge)
            implements PerfaasConfig.RetentionSettings {
        @Override
        public Duration period() {
            return Duration.ofMinutes(10);
        }
    }

    private static Arguments step(String name, Retention.Limits limits, List<Stored> before, List<String> after) {
        return Arguments.of(Named.of(name, limits), before, after);
    }

    private static Arguments stored(
            String name, Retention.Limits limits, List<Stored> before, Stored stored, List<String> after) {
        return Arguments.of(Named.of(name, limits), before, stored, after);
    }

    @Test
    void listsAShelfNewestStoredFirstFromTheIndex() throws IOException {
        write(List.of(
                f("a/1.perf", 10, 30),
                f("a/2.perf", 20, 10),
                f("a/slow/s1.perf", 30, 20),
                f("a/slow/s2.perf", 40, 5),
                f("b/1.perf", 50, 1)));
        Retention retention = new Retention(root, limits(0, 0, NO_AGE), CLOCK);
        assertEquals(List.of("2.perf", "1.perf"), names(retention.newest("a", null, 10)));
        assertEquals(List.of("slow/s2.perf", "slow/s1.perf"), names(retention.newest("a", "slow", 10)));
        assertEquals(List.of("slow/s2.perf"), names(retention.newest("a", "slow", 1)));
        assertEquals(40, retention.newest("a", "slow", 1).get(0).bytes());
        assertEquals(List.of(), retention.newest("c", null, 10));
    }

    private static List<String> names(List<Retention.Stored> stored) {
        return stored.stream().map(Retention.Stored::name).toList();
    }

    private static Retention.Limits limits(long maxFunctionBytes, long maxTotalBytes, Duration maxAge) {
        return new Retention.Limits(maxFunctionBytes, maxTotalBytes, maxAge);
    }

    private void write(List<Stored> files) throws IOException {
        for (Stored s : files) {
            Path p = root.resolve(s.path());
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[s.bytes()]);
            Files.setLastModifiedTime(p, FileTime.from(NOW.minus(Duration.ofMinutes(s.minutesAgo()))));
        }
    }

    /** As ProfileStore does: written to a dot temp at the root, then renamed into place under the lock. */
    private void publish(Retention retention, Stored stored) throws IOException {
        Path temp = root.resolve(".upload-test.tmp");
        Files.write(temp, new byte[stored.bytes()]);
        Path target = root.resolve(stored.path());
        retention.publish(stored.bytes(), () -> {
            Files.createDirectories(target.getParent());
            return Files.move(temp, target, ATOMIC_MOVE);
        });
    }

    /** Every file still there has all its bytes: retention deletes whole files or nothing. */
    private void assertWhole(List<Stored> files) {
        for (Stored s : files) {
            Path p = root.resolve(s.path());
            if (Files.exists(p)) {
                try {
                    assertEquals(s.bytes(), Files.size(p), s.path());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
