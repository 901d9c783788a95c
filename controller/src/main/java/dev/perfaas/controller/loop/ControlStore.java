package dev.perfaas.controller.loop;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.AtomicFiles;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionCounters;
import dev.perfaas.controller.policy.Policy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the controller's {@link SavedControl} in the data directory as a snapshot and a journal, so
 * that a control period writes what changed, not every function: with a full history a function
 * takes ~15 KB of JSON, and a period steps a few of 10,000.
 *
 * <ul>
 * <li>{@value #SNAPSHOT}, the whole state: {@code {"format":2,"id":..,"targets":{name: targets},
 * "functions":{name: {"control":..,"counters":..}}}}. Written only by a compaction, whole
 * ({@link AtomicFiles}), so no crash can cut it.</li>
 * <li>{@value #JOURNAL}: a header line {@code {"snapshot":id}} naming the snapshot it follows, then
 * one JSON line per change since, each a {@link JournalEntry}. A save appends its lines and syncs
 * once.</li>
 * </ul>
 *
 * A save compacts instead (a new snapshot, then a new journal following it) when the journal would
 * outgrow the snapshot and {@value #MIN_COMPACTION_BYTES} bytes: disk use stays under three times the
 * state, a load reads at most about twice it, and compactions at most double the bytes appends
 * write. It also compacts, whatever the journal's size, at the first save of a store that did not
 * load (the saved state starts afresh) or whose load migrated a format-1 {@value #SNAPSHOT} (one file
 * rewritten whole each period), found no journal following the snapshot, or dropped the cut end of
 * one; at the save after a failed one; and when a history is not the saved one with steps added (the
 * history size changed).
 *
 * <p>What a crash loses: the lines of the append it cut short; the next load drops them with a
 * warning (an unterminated or unreadable end of the journal) and keeps everything before. Anything
 * else unreadable stops the load, naming the file and how to recover: a crash cannot leave it so (it
 * was edited or damaged), and starting without it would drop the operators' targets.
 *
 * <p>A load replays the journal over the snapshot and keeps the last {@code historySize} steps of
 * each function. Not thread-safe: the control service calls it under its lock. Plain Java with its
 * own ObjectMapper, so a test or a bench can open a second store over the same directory.
 */
public final class ControlStore {

    static final String SNAPSHOT = "control.json";
    static final String JOURNAL = "control.journal";
    /** 2: snapshot and journal, functions with counters. 1: control.json alone, rewritten whole. */
    static final int FORMAT = 2;
    /** Below this a journal is not compacted: small states would otherwise compact every few periods. */
    static final long MIN_COMPACTION_BYTES = 1 << 20;

    private static final Logger LOG = Logger.getLogger(ControlStore.class);

    private final Path dir;
    private final Path snapshot;
    private final Path journal;
    private final int historySize;
    private final ObjectMapper json = new ObjectMapper()
            // A newer law may drop a field of its state; the rest still resumes it.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // What the files hold: a save writes what differs from it.
    private Map<String, Targets> savedTargets = new TreeMap<>();
    private final Map<String, SavedFunction> saved = new HashMap<>();
    private long snapshotBytes;
    private long journalBytes;
    private boolean compactNext = true;

    /** {@code historySize}: control steps kept per function (perfaas.control.history). */
    public ControlStore(Path dataDir, int historySize) {
        dir = dataDir.toAbsolutePath().normalize();
        snapshot = dir.resolve(SNAPSHOT);
        journal = dir.resolve(JOURNAL);
        this.historySize = historySize;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + " (perfaas.data-dir)", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Deletes the temp files of writes a crash cut short: at startup, before anything saves here. */
    public void sweep() {
        try {
            List<Path> temps = AtomicFiles.sweep(dir);
            if (!temps.isEmpty()) {
                LOG.infof("deleted %d temp files a crash left in %s: %s", temps.size(), dir, temps);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temp files in " + dir, e);
        }
    }

    /** What was saved here; {@link SavedControl#EMPTY} when nothing was. */
    public SavedControl load() {
        Snapshot loaded = readSnapshot();
        savedTargets = new TreeMap<>(loaded.targets());
        saved.clear();
        loaded.functions()
                .forEach((function, f) -> saved.put(
                        function,
                        new SavedFunction(
                                f.control() == null
                                        ? null
                                        : withHistory(f.control(), f.control().history()),
                                f.counters())));
        compactNext = loaded.format() != FORMAT || !replay(loaded.id());
        return new SavedControl(
                Collections.unmodifiableMap(new TreeMap<>(savedTargets)),
                Collections.unmodifiableMap(new TreeMap<>(saved)));
    }

    /**
     * Saves {@code targets} and those of {@code changed} that differ from what is saved: appended to
     * the journal, or, when a compaction is due, with {@code everything} (every function, the changed
     * ones as in {@code changed}), asked for only then. A failed save saves nothing, and the next one
     * compacts.
     */
    public void save(
            Map<String, Targets> targets,
            Map<String, SavedFunction> changed,
            Supplier<Map<String, SavedFunction>> everything)
            throws IOException {
        boolean compact = compactNext;
        List<JournalEntry> entries = new ArrayList<>();
        Map<String, Targets> targetChanges = changes(savedTargets, targets);
        if (!targetChanges.isEmpty()) {
            entries.add(new JournalEntry(targetChanges, null, null, null, null, null, null));
        }
        Map<String, SavedFunction> written = new HashMap<>();
        for (Map.Entry<String, SavedFunction> f : changed.entrySet()) {
            SavedFunction before = saved.get(f.getKey());
            if (f.getValue().equals(before)) {
                continue;
            }
            JournalEntry entry = entry(f.getKey(), before, f.getValue());
            if (entry == null) {
                compact = true;
            } else {
                entries.add(entry);
            }
            written.put(f.getKey(), f.getValue());
        }
        if (entries.isEmpty() && !compact) {
            return;
        }
        compactNext = true; // until this save has succeeded
        if (!compact) {
            byte[] lines = lines(entries);
            if (journalBytes + lines.length <= Math.max(snapshotBytes, MIN_COMPACTION_BYTES)) {
                append(lines);
                savedTargets = new TreeMap<>(targets);
                saved.putAll(written);
                compactNext = false;
                return;
            }
        }
        compact(targets, everything.get());
    }

    private Snapshot readSnapshot() {
        Snapshot loaded;
        try {
            int format = format();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshot))) {
                if (format == 1) {
                    loaded = json.readValue(in, LegacyControl.class).migrated();
                } else if (format == FORMAT) {
                    loaded = json.readValue(in, Snapshot.class);
                } else {
                    throw unreadable(
                            snapshot,
                            "format " + format + " is not one this controller reads (1 or " + FORMAT + ")",
                            "");
                }
            }
            snapshotBytes = Files.size(snapshot);
        } catch (NoSuchFileException e) {
            snapshotBytes = 0;
            return Snapshot.NONE;
        } catch (IOException e) {
            throw unreadable(snapshot, e.getMessage(), "");
        }
        List<String> problems = loaded.problems();
        if (!problems.isEmpty()) {
            throw unreadable(snapshot, String.join("; ", problems), "");
        }
        if (loaded.format() == 1) {
            LOG.infof(
                    "%s is in format 1: the first save migrates it to format %d (a snapshot and %s)",
                    snapshot, FORMAT, JOURNAL);
        }
        return loaded;
    }

    /** The snapshot's top-level "format", read without building the rest; 0 when it has none. */
    private int format() throws IOException {
        try (JsonParser parser = json.getFactory().createParser(Files.newInputStream(snapshot))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the file holds no JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("format")) {
                    return parser.getValueAsInt(0);
                }
                parser.skipChildren();
            }
            return 0;
        }
    }

    /** Replays the journal over the loaded snapshot; true when the next save can append to it as it is. */
    private boolean replay(String snapshotId) {
        journalBytes = 0;
        try (InputStream in = Files.newInputStream(journal)) {
            LineReader lines = new LineReader(in);
            Line header = lines.next();
            JournalHeader h = header == null || !header.terminated() ? null : readOrNull(header, JournalHeader.class);
            if (h == null || h.snapshot() == null) {
                throw unreadable(journal, "its first line is not {\"snapshot\":id}", "");
            }
            if (!h.snapshot().equals(snapshotId)) {
                LOG.warnf(
                        "%s follows another snapshot than %s: ignored. A crash between the two renames of a"
                                + " compaction leaves this, and then the snapshot holds all of it; otherwise (was %s"
                                + " restored from a copy?) the changes in it are lost",
                        journal, snapshot, SNAPSHOT);
                return false;
            }
            long offset = header.bytes().length + 1;
            int number = 1;
            Cut cut = null;
            for (Line line = lines.next(); line != null; line = lines.next()) {
                number++;
                JournalEntry entry = null;
                String problem;
                try {
                    entry = line.terminated() ? json.readValue(line.bytes(), JournalEntry.class) : null;
                    problem = line.terminated() ? (entry == null ? "null" : null) : "no end of line";
                } catch (JsonProcessingException e) {
                    problem = e.getOriginalMessage();
                }
                if (entry == null) {
                    cut = cut != null ? cut : new Cut(number, offset, problem);
                } else if (cut != null) {
                    throw unreadable(
                            journal,
                            "line " + cut.line() + " is unreadable (" + cut.problem() + "), and line " + number
                                    + " after it is not, so no crash cut it",
                            journalHint(cut.line()));
                } else {
                    List<String> problems = entry.problems();
                    if (!problems.isEmpty()) {
                        throw unreadable(
                                journal, "line " + number + ": " + String.join("; ", problems), journalHint(number));
                    }
                    apply(entry);
                }
                offset += line.bytes().length + (line.terminated() ? 1 : 0);
            }
            if (cut != null) {
                LOG.warnf(
                        "dropped the end of %s from line %d on (%d bytes; %s): a crash cut the save that was"
                                + " writing it, and the control steps and counters in it are lost",
                        journal, cut.line(), offset - cut.offset(), cut.problem());
                journalBytes = cut.offset();
                return false;
            }
            journalBytes = offset;
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw unreadable(journal, e.getMessage(), "");
        }
    }

    /** The line as a {@code type}; null when it is not one JSON object. */
    private <T> T readOrNull(Line line, Class<T> type) {
        try {
            return json.readValue(line.bytes(), type);
        } catch (IOException e) {
            return null;
        }
    }

    private void apply(JournalEntry entry) {
        if (entry.targets() != null) {
            entry.targets().forEach((name, targets) -> {
                if (targets == null) {
                    savedTargets.remove(name);
                } else {
                    savedTargets.put(name, targets);
                }
            });
            return;
        }
        SavedFunction before = saved.get(entry.function());
        FunctionControl control = before == null ? null : before.control();
        if (entry.state() != null) {
            List<HistoryEntry> history = new ArrayList<>(control == null ? List.of() : control.history());
            history.addAll(entry.historyAdded());
            control =
                    withHistory(new FunctionControl(entry.state(), entry.policy(), entry.status(), List.of()), history);
        }
        FunctionCounters counters =
                entry.counters() != null ? entry.counters() : before == null ? null : before.counters();
        saved.put(entry.function(), new SavedFunction(control, counters));
    }

    /**
     * The journal line that turns {@code before} into {@code next}; null when none can (something saved
     * is gone, or the history is not the saved one with steps added), which calls for a compaction.
     */
    private JournalEntry entry(String function, SavedFunction before, SavedFunction next) {
        FunctionControl was = before == null ? null : before.control();
        FunctionControl now = next.control();
        boolean countersChanged = !Objects.equals(before == null ? null : before.counters(), next.counters());
        if (countersChanged && next.counters() == null || now == null && was != null) {
            return null;
        }
        FunctionCounters counters = countersChanged ? next.counters() : null;
        if (now == null || now.equals(was)) {
            return new JournalEntry(null, function, null, null, null, null, counters);
        }
        List<HistoryEntry> history = was == null ? List.of() : was.history();
        int from = history.isEmpty() ? 0 : now.history().lastIndexOf(history.get(history.size() - 1)) + 1;
        List<HistoryEntry> added = now.history().subList(from, now.history().size());
        List<HistoryEntry> replayed = new ArrayList<>(history);
        replayed.addAll(added);
        if (!trimmed(replayed).equals(now.history())) {
            return null;
        }
        return new JournalEntry(null, function, now.state(), now.policy(), now.status(), List.copyOf(added), counters);
    }

    private void append(byte[] lines) throws IOException {
        try (FileChannel channel = FileChannel.open(journal, WRITE, APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        journalBytes += lines.length;
    }

    private void compact(Map<String, Targets> targets, Map<String, SavedFunction> everything) throws IOException {
        String id = UUID.randomUUID().toString();
        Map<String, Targets> sortedTargets = new TreeMap<>(targets);
        Map<String, SavedFunction> sorted = new TreeMap<>(everything);
        AtomicFiles.write(snapshot, out -> json.writeValue(out, new Snapshot(FORMAT, id, sortedTargets, sorted)));
        byte[] header = lines(List.of(new JournalHeader(id)));
        AtomicFiles.write(journal, out -> out.write(header));
        snapshotBytes = Files.size(snapshot);
        journalBytes = header.length;
        savedTargets = sortedTargets;
        saved.clear();
        saved.putAll(sorted);
        compactNext = false;
        LOG.debugf("compacted %s: %d functions in %d bytes", snapshot, sorted.size(), snapshotBytes);
    }

    private byte[] lines(List<?> values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object value : values) {
            // Compact JSON has no raw newline: strings escape theirs.
            out.write(json.writeValueAsBytes(value));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private FunctionControl withHistory(FunctionControl control, List<HistoryEntry> history) {
        return new FunctionControl(control.state(), control.policy(), control.status(), trimmed(history));
    }

    private List<HistoryEntry> trimmed(List<HistoryEntry> history) {
        return history.subList(Math.max(0, history.size() - historySize), history.size());
    }

    /** Name to new targets, or to null where removed. */
    private static Map<String, Targets> changes(Map<String, Targets> before, Map<String, Targets> after) {
        Map<String, Targets> changes = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changes.put(name, after.get(name));
            }
        }
        return changes;
    }

    private static String journalHint(int line) {
        return " (or delete line " + line + " and every line after it, to resume from the state saved before it)";
    }

    private IllegalStateException unreadable(Path file, String problem, String hint) {
        return new IllegalStateException("cannot read the saved control state " + file + ": " + problem
                + ". Neither a crash nor a full disk leaves it so. Repair it" + hint + ", or move "
                + SNAPSHOT + " and " + JOURNAL + " out of " + dir + " to start without saved targets and law"
                + " states (the targets in them are then lost)");
    }

    private static List<String> problems(Map<String, Targets> targets, Map<String, SavedFunction> functions) {
        List<String> problems = new ArrayList<>();
        if (targets == null || functions == null) {
            return List.of("\"targets\" and \"functions\" must both be present");
        }
        for (Map.Entry<String, Targets> t : targets.entrySet()) {
            List<String> wrong =
                    t.getValue() == null ? List.of("missing") : t.getValue().validate();
            wrong.forEach(p -> problems.add("targets of " + t.getKey() + ": " + p));
        }
        for (Map.Entry<String, SavedFunction> f : functions.entrySet()) {
            SavedFunction saved = f.getValue();
            String wrong = saved == null ? "missing" : null;
            if (wrong == null && saved.control() != null) {
                wrong = checkControl(saved.control());
            }
            if (wrong == null && saved.counters() != null) {
                wrong = checkCounters(saved.counters());
            }
            if (wrong != null) {
                problems.add("function " + f.getKey() + ": " + wrong);
            }
        }
        return problems;
    }

    private static String checkControl(FunctionControl f) {
        if (f.state() == null || f.policy() == null || f.status() == null) {
            return "state, policy and status must all be present";
        }
        return checkPolicy(f.policy());
    }

    private static String checkPolicy(PublishedPolicy policy) {
        try {
            // The rules publication will apply to it.
            new Policy(policy.fraction(), policy.frequencyHz(), 1, 1, "perf", policy.version());
        } catch (IllegalArgumentException e) {
            return "policy: " + e.getMessage();
        }
        return null;
    }

    private static String checkCounters(FunctionCounters c) {
        if (c.invocations() < 0
                || c.traced() < 0
                || c.samples() < 0
                || c.reports() < 0
                || c.coldStarts() < 0
                || c.instancesLastSeen().containsValue(null)) {
            return "counters must not be negative or missing";
        }
        return null;
    }

    /** {@value #SNAPSHOT} in format 2. */
    private record Snapshot(int format, String id, Map<String, Targets> targets, Map<String, SavedFunction> functions) {

        static final Snapshot NONE = new Snapshot(FORMAT, null, Map.of(), Map.of());

        List<String> problems() {
            List<String> problems = new ArrayList<>(ControlStore.problems(targets, functions));
            if (format == FORMAT && id == null) {
                problems.add("\"id\" must be present");
            }
            return problems;
        }
    }

    /** {@value #SNAPSHOT} in format 1: the functions' control records, no counters. */
    private record LegacyControl(int format, Map<String, Targets> targets, Map<String, FunctionControl> functions) {

        Snapshot migrated() {
            Map<String, SavedFunction> saved = null;
            if (functions != null) {
                saved = new TreeMap<>();
                for (Map.Entry<String, FunctionControl> f : functions.entrySet()) {
                    saved.put(f.getKey(), f.getValue() == null ? null : new SavedFunction(f.getValue(), null));
                }
            }
            return new Snapshot(format, null, targets, saved);
        }
    }

    /** The journal's first line: the id of the snapshot its changes follow. */
    private record JournalHeader(String snapshot) {}

    /**
     * One change, a line of the journal: of targets (name to targets, or to null where removed), or of
     * one function (its new state, policy and status with the steps added to its history, and/or its
     * new counters). Absent fields are not written.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record JournalEntry(
            Map<String, Targets> targets,
            String function,
            LawState state,
            PublishedPolicy policy,
            ControlStatus status,
            List<HistoryEntry> historyAdded,
            FunctionCounters counters) {

        List<String> problems() {
            if ((targets == null) == (function == null)) {
                return List.of("a line changes either \"targets\" or one \"function\"");
            }
            if (targets != null) {
                List<String> problems = new ArrayList<>();
                targets.forEach((name, t) -> {
                    if (t != null) {
                        t.validate().forEach(p -> problems.add("targets of " + name + ": " + p));
                    }
                });
                return problems;
            }
            boolean control = state != null || policy != null || status != null || historyAdded != null;
            String wrong = !control && counters == null
                    ? "neither control nor counters"
                    : control && (state == null || policy == null || status == null || historyAdded == null)
                            ? "state, policy, status and historyAdded must all be present, or none"
                            : control ? checkPolicy(policy) : null;
            if (wrong == null && counters != null) {
                wrong = checkCounters(counters);
            }
            return wrong == null ? List.of() : List.of("function " + function + ": " + wrong);
        }
    }

    /** Where the unreadable end of a journal starts, and what is wrong with its first line. */
    private record Cut(int line, long offset, String problem) {}

    private record Line(byte[] bytes, boolean terminated) {}

    /** Splits a stream at '\n', in 64 KB reads: a journal may hold hundreds of MB of lines. */
    private static final class LineReader {
        private final InputStream in;
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private boolean ended;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line without its '\n'; the last may lack one (terminated false); null after it. */
        Line next() throws IOException {
            int scanned = start;
            while (true) {
                for (int i = scanned; i < end; i++) {
                    if (buffer[i] == '\n') {
                        Line line = new Line(Arrays.copyOfRange(buffer, start, i), true);
                        start = i + 1;
                        return line;
                    }
                }
                if (ended) {
                    if (start == end) {
                        return null;
                    }
                    Line line = new Line(Arrays.copyOfRange(buffer, start, end), false);
                    start = end;
                    return line;
                }
                scanned = end - start;
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
                if (end == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int n = in.read(buffer, end, buffer.length - end);
                if (n < 0) {
                    ended = true;
                } else {
                    end += n;
                }
            }
        }
    }
}
