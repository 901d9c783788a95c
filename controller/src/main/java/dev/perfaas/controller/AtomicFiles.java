package dev.perfaas.controller;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Files written whole or not at all: the content goes to a dot-named temp file next to the target
 * (FlameScope and the controller's readers skip dot names), is synced, renamed over the target, and
 * the directory is synced, since the rename lives in it: without that a power cut may bring the old
 * file back. A crash leaves the old file or the new one, never half of either, and at worst a temp
 * file, which {@link #sweep} removes at the next start.
 */
public final class AtomicFiles {

    /** How every temp file of this class ends; a dot starts its name. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final int BUFFER_SIZE = 64 * 1024;

    private AtomicFiles() {}

    /** What a write streams into the file; closing the stream it is given is allowed and does not end the write. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} (or creates it) with what {@code content} writes. */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + "-" + UUID.randomUUID() + TEMP_SUFFIX);
        writeSynced(temp, content);
        try {
            rename(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteOnFailure(temp, e);
            throw e;
        }
    }

    /**
     * The first half of a write, for a caller that names the target only once the content is in
     * (profiles): creates {@code temp}, which must not exist, with what {@code content} writes, and
     * syncs it. A failure deletes it.
     */
    public static void writeSynced(Path temp, Content content) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
            OutputStream out = new BufferedOutputStream(new Unclosed(Channels.newOutputStream(channel)), BUFFER_SIZE);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            deleteOnFailure(temp, e);
            throw e;
        }
    }

    /** The second half: renames a synced {@code temp} over {@code target} and syncs the target's directory. */
    public static Path rename(Path temp, Path target) throws IOException {
        Path moved = Files.move(temp, target, ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
        return moved;
    }

    private static void deleteOnFailure(Path temp, Exception failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException notDeleted) {
            failure.addSuppressed(notDeleted);
        }
    }

    /** Makes the names created, renamed or removed in {@code dir} survive a power cut. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel directory = FileChannel.open(dir, READ)) {
            directory.force(true);
        }
    }

    /**
     * Deletes the temp files a crash left in {@code dir}: dot-named regular files ending in
     * {@value #TEMP_SUFFIX}. Only at startup, before anything writes there. Returns what it deleted.
     */
    public static List<Path> sweep(Path dir) throws IOException {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                if (Files.isRegularFile(temp) && Files.deleteIfExists(temp)) {
                    deleted.add(temp);
                }
            }
        }
        return deleted;
    }

    /** Lets a content close its stream (Jackson does) while the channel stays open to be synced. */
    private static final class Unclosed extends OutputStream {
        private final OutputStream out;

        Unclosed(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
