package dev.perfaas.controller.loop;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps {@link SavedControl} in one JSON file under the data directory. A save writes a dot-named
 * temp file next to it, syncs it and renames it over the old one, so a crash leaves the old file or
 * the new one, never half of either. A file that cannot be read stops the controller: starting
 * empty would silently drop the operators' targets.
 *
 * <p>Plain Java with its own ObjectMapper, so a test can open a second store over the same directory
 * and read what the first one wrote.
 */
public final class ControlStore {

    static final String FILE_NAME = "control.json";

    private final Path dir;
    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A newer law may drop a field of its state; the rest still resumes it.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ControlStore(Path dataDir) {
        dir = dataDir.toAbsolutePath().normalize();
        file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + " (perfaas.data-dir)", e);
        }
    }

    public Path file() {
        return file;
    }

    /** What the last save wrote; {@link SavedControl#EMPTY} when nothing was ever saved here. */
    public SavedControl load() {
        SavedControl saved;
        try {
            saved = json.readValue(Files.readAllBytes(file), SavedControl.class);
        } catch (NoSuchFileException e) {
            return SavedControl.EMPTY;
        } catch (IOException e) {
            throw unreadable(e.getMessage());
        }
        List<String> problems = check(saved);
        if (!problems.isEmpty()) {
            throw unreadable(String.join("; ", problems));
        }
        return saved;
    }

    public void save(SavedControl control) throws IOException {
        byte[] bytes = json.writeValueAsBytes(control);
        Path temp = dir.resolve("." + FILE_NAME + "-" + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        // The rename lives in the directory: sync it too, or a power cut may bring the old file back.
        try (FileChannel directory = FileChannel.open(dir, READ)) {
            directory.force(true);
        }
    }

    private IllegalStateException unreadable(String problem) {
        return new IllegalStateException("cannot read the saved control state " + file + ": " + problem
                + ". Repair the file, or move it away to start without saved targets and law states"
                + " (the targets in it are then lost)");
    }

    private static List<String> check(SavedControl saved) {
        List<String> problems = new ArrayList<>();
        if (saved == null) {
            return List.of("the file holds no JSON object");
        }
        if (saved.format() != SavedControl.FORMAT) {
            problems.add("format " + saved.format() + " is not the " + SavedControl.FORMAT + " this controller reads");
        }
        if (saved.targets() == null || saved.functions() == null) {
            problems.add("\"targets\" and \"functions\" must both be present");
            return problems;
        }
        for (Map.Entry<String, Targets> t : saved.targets().entrySet()) {
            List<String> wrong = t.getValue() == null ? List.of("missing") : t.getValue().validate();
            wrong.forEach(p -> problems.add("targets of " + t.getKey() + ": " + p));
        }
        for (Map.Entry<String, FunctionControl> f : saved.functions().entrySet()) {
            String wrong = checkFunction(f.getValue());
            if (wrong != null) {
                problems.add("function " + f.getKey() + ": " + wrong);
            }
        }
        return problems;
    }

    private static String checkFunction(FunctionControl f) {
        if (f == null || f.state() == null || f.policy() == null || f.status() == null) {
            return "state, policy and status must all be present";
        }
        try {
            // The rules publication will apply to it.
            new Policy(f.policy().fraction(), f.policy().frequencyHz(), 1, 1, "perf", f.policy().version());
        } catch (IllegalArgumentException e) {
            return "policy: " + e.getMessage();
        }
        return null;
    }
}
