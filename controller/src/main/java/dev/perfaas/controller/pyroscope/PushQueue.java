package dev.perfaas.controller.pyroscope;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import dev.perfaas.controller.AtomicFiles;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored profiles waiting for their push, oldest first, one small file each in a directory of
 * data-dir: {@code <sequence>.push} holding the profile's path in the stacks directory, its function
 * and its instance, a line each. A restart takes them up again in order. Adding writes the file and
 * renames it into place without syncing (the upload path pays a small write, never a sync): a power
 * cut in the seconds after may lose the push of a profile, never the profile. At most {@code limit}
 * wait; past it the oldest waiting one is dropped. One consumer takes entries and marks them done.
 */
final class PushQueue {

    /** One waiting profile; {@code path} is relative to the stacks directory, '/'-separated. */
    record Entry(long sequence, String path, String function, String instance) {}

    private static final String SUFFIX = ".push";

    private final Path dir;
    private final int limit;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private Entry taken;
    private long next;

    PushQueue(Path dir, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalStateException("perfaas.pyroscope.queue-limit must be at least 1, got " + limit);
        }
        this.dir = Files.createDirectories(dir);
        this.limit = limit;
        AtomicFiles.sweep(dir);
        List<Entry> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                Entry entry = read(file);
                if (entry == null) {
                    Log.warnf("dropping %s: not a push queue entry", file);
                    Files.deleteIfExists(file);
                } else {
                    found.add(entry);
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        waiting.addAll(found);
        next = found.isEmpty() ? 1 : found.get(found.size() - 1).sequence() + 1;
        while (waiting.size() > limit) {
            Entry dropped = waiting.removeFirst();
            Files.deleteIfExists(file(dropped));
        }
    }

    /** Profiles waiting, the one being pushed included. */
    synchronized int size() {
        return waiting.size() + (taken == null ? 0 : 1);
    }

    /**
     * Queues a stored profile; returns the entry dropped to make room (the oldest waiting, or this one
     * when only the one being pushed waits), or null.
     */
    synchronized Entry add(String path, String function, String instance) throws IOException {
        Entry entry = new Entry(next++, path, function, instance);
        Path temp = dir.resolve("." + entry.sequence() + SUFFIX + AtomicFiles.TEMP_SUFFIX);
        Files.writeString(temp, path + "\n" + function + "\n" + instance + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file(entry), ATOMIC_MOVE);
        waiting.addLast(entry);
        Entry dropped = null;
        if (size() > limit) {
            dropped = waiting.removeFirst();
            Files.deleteIfExists(file(dropped));
        }
        notifyAll();
        return dropped;
    }

    /** The oldest waiting entry, once there is one; it stays on disk until {@link #done}. */
    synchronized Entry take() throws InterruptedException {
        while (waiting.isEmpty()) {
            wait();
        }
        taken = waiting.removeFirst();
        return taken;
    }

    /** The taken entry is pushed or dropped for good. */
    synchronized void done(Entry entry) throws IOException {
        taken = null;
        Files.deleteIfExists(file(entry));
    }

    /** The taken entry goes back to the head, for the next start (a stop in the middle of its push). */
    synchronized void putBack(Entry entry) {
        taken = null;
        waiting.addFirst(entry);
    }

    private Path file(Entry entry) {
        return dir.resolve(String.format("%019d", entry.sequence()) + SUFFIX);
    }

    private static Entry read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
        try {
            long sequence = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            if (lines.length == 4 && lines[3].isEmpty() && !lines[0].isEmpty()) {
                return new Entry(sequence, lines[0], lines[1], lines[2]);
            }
        } catch (NumberFormatException e) {
            // not ours
        }
        return null;
    }
}
