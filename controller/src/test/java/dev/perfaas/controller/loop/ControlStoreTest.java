package dev.perfaas.controller.loop;

import static dev.perfaas.controller.loop.Reports.window;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlStoreTest {

    private static final int HISTORY = 30;
    private static final Targets OWN = new Targets(0.02, 300, 19, 499, 0.01);
    private final FunctionStepper stepper = new FunctionStepper(new ControlLaw(LawConfig.DEFAULT), HISTORY, 10);

    @TempDir
    Path dir;

    // What the controller holds: the store is told which functions changed and asked for everything.
    private final Map<String, Targets> targets = new TreeMap<>();
    private final Map<String, SavedFunction> functions = new TreeMap<>();

    @Test
    void aSecondStoreReadsWhatTheFirstWrote() throws IOException {
        ControlStore store = loaded();
        targets.put("_default", OWN);
        targets.put("pi", Targets.DEFAULT);
        put("pi", first(1), counters(10, "a"));
        save(store, "pi");
        put("pi", stepped(functions.get("pi").control(), 2), counters(20, "a", "b"));
        put("fib", null, counters(5, "c"));
        save(store, "pi", "fib");

        assertEquals(new SavedControl(targets, functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void aPeriodAppendsTheStepItTookAndNothingElse() throws IOException {
        ControlStore store = loaded();
        for (String f : List.of("a", "b", "c")) {
            put(f, first(1), counters(1, "i"));
        }
        save(store, "a", "b", "c");
        byte[] snapshot = Files.readAllBytes(dir.resolve(ControlStore.SNAPSHOT));

        put("b", stepped(functions.get("b").control(), 2), counters(2, "i"));
        save(store, "a", "b", "c");

        assertArrayEquals(snapshot, Files.readAllBytes(dir.resolve(ControlStore.SNAPSHOT)), "no compaction");
        List<String> journal = journal();
        assertEquals(2, journal.size(), "the header and one line");
        assertThat(journal.get(1), containsString("\"function\":\"b\""));
        assertEquals(
                1,
                new ObjectMapper().readTree(journal.get(1)).get("historyAdded").size());
        assertEquals(new SavedControl(targets, functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void aSaveWithNothingChangedWritesNothing() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        long size = Files.size(dir.resolve(ControlStore.JOURNAL));
        save(store, "pi");
        assertEquals(size, Files.size(dir.resolve(ControlStore.JOURNAL)));
    }

    @Test
    void countersAloneAreSavedWithoutTheControlRecord() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        put("pi", functions.get("pi").control(), counters(2, "i", "j"));
        save(store, "pi");

        String line = journal().get(1);
        assertThat(line, containsString("\"counters\""));
        assertThat(line, not(containsString("\"state\"")));
        assertEquals(new SavedControl(targets, functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void removedTargetsStayRemoved() throws IOException {
        ControlStore store = loaded();
        targets.put("pi", OWN);
        targets.put("fib", OWN);
        save(store);
        targets.remove("pi");
        targets.put("fib", Targets.DEFAULT);
        save(store);
        assertEquals(
                Map.of("fib", Targets.DEFAULT),
                new ControlStore(dir, HISTORY).load().targets());
    }

    @Test
    void aLoadKeepsTheConfiguredHistoryOfEachFunction() throws IOException {
        ControlStore store = loaded();
        FunctionControl control = first(1);
        for (int step = 2; step <= 10; step++) {
            control = stepped(control, step);
            put("pi", control, counters(step, "i"));
            save(store, "pi");
        }
        FunctionControl reloaded =
                new ControlStore(dir, 4).load().functions().get("pi").control();
        assertEquals(control.history().subList(6, 10), reloaded.history());
        assertEquals(control.state(), reloaded.state());
    }

    @Test
    void theJournalIsCompactedOnceItOutgrowsTheSnapshot() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        // ~0.37 MB of counters a line: the third takes the journal past 1 MiB.
        for (int n = 2; n <= 3; n++) {
            put("pi", functions.get("pi").control(), manyInstances(n));
            save(store, "pi");
        }
        assertEquals(3, journal().size());
        put("pi", functions.get("pi").control(), manyInstances(4));
        save(store, "pi");

        assertEquals(1, journal().size(), "a new snapshot and an empty journal");
        assertEquals(new SavedControl(targets, functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void aHistoryThatIsNotTheSavedOneWithStepsAddedIsCompacted() throws IOException {
        ControlStore store = loaded();
        FunctionControl control = stepped(first(1), 2);
        put("pi", control, counters(1, "i"));
        save(store, "pi");
        put("pi", control, counters(2, "i"));
        save(store, "pi");
        assertEquals(2, journal().size());
        put(
                "pi",
                new FunctionControl(
                        control.state(),
                        control.policy(),
                        control.status(),
                        List.of(control.history().get(0))),
                counters(1, "i"));
        save(store, "pi");

        assertEquals(1, journal().size());
        assertEquals(new SavedControl(targets, functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void aFailedSaveIsMadeGoodByTheNextWhichCompacts() throws IOException {
        ControlStore store = loaded();
        put("a", first(1), counters(1, "i"));
        put("b", first(1), counters(1, "i"));
        save(store, "a", "b");
        Files.delete(dir.resolve(ControlStore.JOURNAL));
        put("a", stepped(functions.get("a").control(), 2), counters(2, "i"));
        assertThrows(IOException.class, () -> save(store, "a"));

        put("b", stepped(functions.get("b").control(), 2), counters(2, "i"));
        save(store, "b");

        assertEquals(
                new SavedControl(targets, functions),
                new ControlStore(dir, HISTORY).load(),
                "a's step, whose save failed, is saved too");
        assertEquals(1, journal().size());
    }

    @Test
    void aStoreThatDidNotLoadStartsTheStateAfresh() throws IOException {
        ControlStore store = loaded();
        targets.put("pi", OWN);
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        targets.clear();
        functions.clear();
        put("fib", first(2), counters(2, "j"));

        save(new ControlStore(dir, HISTORY), "fib");

        assertEquals(new SavedControl(Map.of(), functions), new ControlStore(dir, HISTORY).load());
    }

    @Test
    void aFormatOneFileIsReadAndMigratedAtTheFirstSave() throws IOException {
        FunctionControl pi = stepped(first(1), 2);
        // As the controller before the journal wrote it: one indented file, no counters.
        new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(
                        dir.resolve(ControlStore.SNAPSHOT).toFile(),
                        Map.of("format", 1, "targets", Map.of("_default", OWN), "functions", Map.of("pi", pi)));

        ControlStore store = new ControlStore(dir, HISTORY);
        SavedControl loaded = store.load();
        assertEquals(new SavedControl(Map.of("_default", OWN), Map.of("pi", new SavedFunction(pi, null))), loaded);
        assertFalse(Files.exists(dir.resolve(ControlStore.JOURNAL)), "loading writes nothing");

        store.save(loaded.targets(), Map.of(), loaded::functions);

        assertEquals(
                2,
                new ObjectMapper()
                        .readTree(dir.resolve(ControlStore.SNAPSHOT).toFile())
                        .get("format")
                        .asInt());
        assertEquals(1, journal().size());
        assertEquals(loaded, new ControlStore(dir, HISTORY).load());
    }

    @Test
    void theCutEndOfAJournalIsDroppedAndReplacedAtTheNextSave() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        put("pi", stepped(functions.get("pi").control(), 2), counters(2, "i"));
        save(store, "pi");
        SavedControl before = new SavedControl(targets, functions);
        byte[] snapshot = Files.readAllBytes(dir.resolve(ControlStore.SNAPSHOT));
        byte[] journal = Files.readAllBytes(dir.resolve(ControlStore.JOURNAL));
        String whole = journal().get(1);
        // What a crash may leave: a whole line without its newline, half of one, zeros the size grew by.
        for (String end :
                List.of(whole, whole.substring(0, whole.length() / 2), "\0\0\0\0", whole.substring(0, 40) + "\n\0\0")) {
            Files.write(dir.resolve(ControlStore.SNAPSHOT), snapshot);
            Files.write(dir.resolve(ControlStore.JOURNAL), journal);
            Files.write(dir.resolve(ControlStore.JOURNAL), end.getBytes(UTF_8), StandardOpenOption.APPEND);

            ControlStore restarted = new ControlStore(dir, HISTORY);
            assertEquals(before, restarted.load(), end);
            restarted.save(targets, Map.of(), () -> functions);

            assertEquals(List.of(journal().get(0)), journal(), "compacted: the cut end is gone");
            assertEquals(before, new ControlStore(dir, HISTORY).load());
        }
    }

    @Test
    void anUnreadableLineBeforeAReadableOneStopsTheLoadNamingIt() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        put("pi", functions.get("pi").control(), counters(2, "i"));
        save(store, "pi");
        List<String> lines = journal();
        Files.writeString(
                dir.resolve(ControlStore.JOURNAL),
                lines.get(0) + "\n{\"function\":\"pi\",\"coun\n" + lines.get(1) + "\n");

        String message = refused();
        assertThat(message, containsString(dir.resolve(ControlStore.JOURNAL).toString()));
        assertThat(message, containsString("line 2 is unreadable"));
        assertThat(message, containsString("delete line 2 and every line after it"));
    }

    @Test
    void aJournalFollowingAnotherSnapshotIsIgnored() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        SavedControl compacted = new SavedControl(Map.copyOf(targets), Map.copyOf(functions));
        put("pi", functions.get("pi").control(), counters(2, "i"));
        save(store, "pi");
        List<String> lines = journal();
        Files.writeString(dir.resolve(ControlStore.JOURNAL), "{\"snapshot\":\"another\"}\n" + lines.get(1) + "\n");

        assertEquals(compacted, new ControlStore(dir, HISTORY).load());
    }

    @Test
    void savingLeavesNoTempFiles() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        save(new ControlStore(dir, HISTORY), "pi");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(ControlStore.JOURNAL, ControlStore.SNAPSHOT),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void sweepDeletesTheTempFilesACrashLeft() throws IOException {
        Files.writeString(dir.resolve(".control.json-0b6f.tmp"), "{\"format\":2,");
        Files.writeString(dir.resolve(".control.journal-1c2d.tmp"), "");
        Files.writeString(dir.resolve("notes.tmp"), "kept: not a dot name");
        new ControlStore(dir, HISTORY).sweep();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("notes.tmp"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void nothingSavedLoadsEmptyAndCreatesTheDirectory() {
        Path nested = dir.resolve("a/b");
        assertEquals(SavedControl.EMPTY, new ControlStore(nested, HISTORY).load());
        assertTrue(Files.isDirectory(nested));
    }

    @Test
    void aTruncatedSnapshotStopsTheLoadNamingIt() throws IOException {
        ControlStore store = loaded();
        targets.put("pi", OWN);
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        byte[] whole = Files.readAllBytes(dir.resolve(ControlStore.SNAPSHOT));
        Files.write(dir.resolve(ControlStore.SNAPSHOT), Arrays.copyOf(whole, whole.length / 2));

        String message = refused();
        assertThat(message, containsString(dir.resolve(ControlStore.SNAPSHOT).toString()));
        assertThat(message, containsString("move control.json and control.journal out of " + dir));
    }

    @Test
    void aTruncatedFormatOneFileStopsTheLoadNamingIt() throws IOException {
        Files.writeString(dir.resolve(ControlStore.SNAPSHOT), "{\"format\":1,\"targets\":{\"pi\":{\"maxOv");
        assertThat(refused(), containsString(dir.resolve(ControlStore.SNAPSHOT).toString()));
    }

    @Test
    void aSnapshotOfGarbageStopsTheLoadNamingIt() throws IOException {
        for (byte[] garbage : List.of(
                new byte[] {(byte) 0x8b, 0x1f, 0, 7, 42},
                new byte[0],
                "[1,2]".getBytes(UTF_8),
                "{\"targets\":{},\"functions\":{}}".getBytes(UTF_8))) {
            Files.write(dir.resolve(ControlStore.SNAPSHOT), garbage);
            assertThat(
                    refused(),
                    containsString("cannot read the saved control state " + dir.resolve(ControlStore.SNAPSHOT)));
        }
    }

    @Test
    void aJournalOfGarbageStopsTheLoadNamingIt() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        Files.writeString(dir.resolve(ControlStore.JOURNAL), "\u00ff\u00fe garbage\n");
        assertThat(refused(), containsString(dir.resolve(ControlStore.JOURNAL) + ": its first line is not"));
    }

    @Test
    void invalidTargetsInTheFileAreRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.SNAPSHOT), """
                {"format":1,"functions":{},"targets":{"pi":{"maxOverhead":0.9,"samplesPerMinute":600,
                 "minFrequencyHz":19,"maxFrequencyHz":997,"minFraction":0.001}}}""");
        assertThat(refused(), containsString("targets of pi: maxOverhead must be in (0, 0.5], was 0.9"));
    }

    @Test
    void invalidCountersInTheJournalAreRefused() throws IOException {
        ControlStore store = loaded();
        put("pi", first(1), counters(1, "i"));
        save(store, "pi");
        Files.writeString(
                dir.resolve(ControlStore.JOURNAL),
                journal().get(0) + "\n{\"function\":\"pi\",\"counters\":"
                        + "{\"invocations\":-1,\"traced\":0,\"samples\":0,\"reports\":0,\"instancesLastSeen\":{}}}\n");
        assertThat(refused(), containsString("line 2: function pi: counters must not be negative or missing"));
    }

    @Test
    void anotherFormatIsRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.SNAPSHOT), "{\"format\":3,\"targets\":{},\"functions\":{}}");
        assertThat(refused(), containsString("format 3 is not one this controller reads (1 or 2)"));
    }

    @Test
    void aFunctionWithoutItsStateIsRefused() throws IOException {
        Files.writeString(dir.resolve(ControlStore.SNAPSHOT), """
                {"format":1,"targets":{},"functions":{"pi":{"policy":{"fraction":0.1,"frequencyHz":99,"version":1},
                 "history":[]}}}""");
        assertThat(refused(), containsString("function pi: state, policy and status must all be present"));
    }

    private ControlStore loaded() {
        ControlStore store = new ControlStore(dir, HISTORY);
        store.load();
        return store;
    }

    private void put(String function, FunctionControl control, FunctionCounters counters) {
        functions.put(function, new SavedFunction(control, counters));
    }

    private void save(ControlStore store, String... changed) throws IOException {
        Map<String, SavedFunction> offered = new HashMap<>();
        for (String f : changed) {
            offered.put(f, functions.get(f));
        }
        store.save(targets, offered, () -> functions);
    }

    private FunctionControl first(long now) {
        return stepper.first(
                Targets.DEFAULT,
                new PublishedPolicy(0.1, 99, 1),
                MeasurementBuilder.build(List.of(window("a", 0, 0, 0, 0, 1, 0, 0))),
                now);
    }

    private FunctionControl stepped(FunctionControl previous, long now) {
        return stepper.step(
                previous,
                Targets.DEFAULT,
                MeasurementBuilder.build(List.of(window("a", 60 * now, 1000, 10, 90, 10_000, 3, 7))),
                now);
    }

    private static FunctionCounters counters(long reports, String... instances) {
        Map<String, Long> seen = new TreeMap<>();
        for (String i : instances) {
            seen.put(i, 1000 * reports);
        }
        return new FunctionCounters(100 * reports, 10 * reports, 50 * reports, reports, reports / 10, seen);
    }

    private static FunctionCounters manyInstances(long n) {
        Map<String, Long> seen = new TreeMap<>();
        for (int i = 0; i < 12_000; i++) {
            seen.put("instance-" + i, 1_767_000_000_000L + n);
        }
        return new FunctionCounters(n, 0, 0, n, 0, seen);
    }

    private List<String> journal() throws IOException {
        return Files.readAllLines(dir.resolve(ControlStore.JOURNAL));
    }

    private String refused() {
        ControlStore store = new ControlStore(dir, HISTORY);
        return assertThrows(IllegalStateException.class, store::load).getMessage();
    }
}
