package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Clean-up of the hook's own files (recordings, profiles, perf's fifos and output) once they are
 * no longer wanted: a failure there must not fail what the hook does, so it is only logged.
 */
final class SpoolFiles {
    private SpoolFiles() {}

    static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                System.getLogger("perfaas")
                        .log(System.Logger.Level.DEBUG, "cannot delete " + p + ": " + e.getMessage());
            }
        }
    }

    static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                // closing what is being thrown away
            }
        }
    }
}
