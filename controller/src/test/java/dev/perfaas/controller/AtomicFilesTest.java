package dev.perfaas.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheFileWithWhatTheContentWrote() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFiles.write(file, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(file, out -> {
            out.write("two".getBytes(StandardCharsets.UTF_8));
            out.close(); // as Jackson does: the write still completes
        });
        assertEquals("two", Files.readString(file));
        assertEquals(List.of("state.json"), names());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "old");
        assertThrows(
                IOException.class,
                () -> AtomicFiles.write(file, out -> {
                    out.write("half".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk full");
                }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("state.json"), names());
    }

    @Test
    void sweepDeletesDotNamedTempFilesOnly() throws IOException {
        Files.writeString(dir.resolve(".state.json-1.tmp"), "");
        Files.writeString(dir.resolve(".upload-2.tmp"), "");
        Files.writeString(dir.resolve("report.tmp"), "");
        Files.createDirectories(dir.resolve(".cache.tmp"));
        assertEquals(
                List.of(dir.resolve(".state.json-1.tmp"), dir.resolve(".upload-2.tmp")),
                AtomicFiles.sweep(dir).stream().sorted().toList());
        assertEquals(List.of(".cache.tmp", "report.tmp"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
