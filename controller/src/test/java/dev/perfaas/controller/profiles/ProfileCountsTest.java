package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCountsTest {

    @TempDir
    Path stacks;

    @Test
    void countsThePerfFilesOfEachFunctionDirectory() throws IOException {
        file("pi/pi-a-20260101T000000.perf");
        file("pi/pi-a-20260101T000000-2.perf");
        file("pi/pi-b-20260101T000100.perf");
        file("fib/fib-a-20260101T000000.perf");
        // Not profiles: dot names (temp files, other tools'), other files, unsafe or empty directories.
        file("pi/.pi-a-20260101T000200.perf");
        file("pi/notes.txt");
        file(".upload-3f2a.tmp");
        file("loose.perf");
        file(".flamescope/x.perf");
        file("my fn/my fn-a-20260101T000000.perf");
        Files.createDirectories(stacks.resolve("empty"));

        assertEquals(Map.of("pi", 3L, "fib", 1L), ProfileCounts.onDisk(stacks));
    }

    @Test
    void anAbsentDirectoryHoldsNone() throws IOException {
        assertEquals(Map.of(), ProfileCounts.onDisk(stacks.resolve("never-created")));
    }

    private void file(String path) throws IOException {
        Path p = stacks.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }
}
