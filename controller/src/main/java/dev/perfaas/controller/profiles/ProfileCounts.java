package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profiles already in the stacks directory, counted at startup so that a function's profile count
 * and a function known only from its profiles survive a restart: the files are the record, so nothing
 * about them needs saving.
 */
public final class ProfileCounts {

    private ProfileCounts() {
    }

    /**
     * Profiles per function: the {@code *.perf} files in each directory named by a safe function name
     * (see ProfileStore's layout). Dot-named entries are skipped: temp files, and what other tools
     * keep there. An absent directory holds none.
     */
    public static Map<String, Long> onDisk(Path stacksDir) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stacksDir, ProfileCounts::isFunctionDirectory)) {
            for (Path dir : dirs) {
                long profiles = 0;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.perf")) {
                    for (Path ignored : files) {
                        profiles++;
                    }
                }
                if (profiles > 0) {
                    counts.put(dir.getFileName().toString(), profiles);
                }
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return counts;
    }

    private static boolean isFunctionDirectory(Path path) {
        String name = path.getFileName().toString();
        try {
            return SafeName.function(name).equals(name) && Files.isDirectory(path);
        } catch (ApiException notAName) {
            return false;
        }
    }
}
