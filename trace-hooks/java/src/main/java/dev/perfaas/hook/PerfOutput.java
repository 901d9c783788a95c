package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * perf's output under {@code --switch-output=signal}: it writes {@code NAME.data} and, on each
 * SIGUSR2 and as it stops, finishes that file as {@code NAME.data.<timestamp>}.
 */
final class PerfOutput {
    private PerfOutput() {}

    /** The files perf finished, oldest first. */
    static List<Path> finished(Path data) throws IOException {
        List<Path> files = new ArrayList<>();
        String prefix = data.getFileName() + ".";
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(data.getParent(), prefix + "*")) {
            for (Path p : dir) {
                String suffix = p.getFileName().toString().substring(prefix.length());
                if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit)) {
                    files.add(p);
                }
            }
        }
        files.sort(null); // equal-length timestamps: by name is by time
        return files;
    }

    /** Waits for a finished file while perf lives, until {@code deadlineNanos}; empty when none came. */
    static List<Path> awaitFinished(Path data, Process perf, long deadlineNanos)
            throws IOException, InterruptedException {
        while (perf.isAlive()) {
            List<Path> files = finished(data);
            if (!files.isEmpty() || System.nanoTime() - deadlineNanos > 0) {
                return files;
            }
            Thread.sleep(5);
        }
        return List.of();
    }
}
