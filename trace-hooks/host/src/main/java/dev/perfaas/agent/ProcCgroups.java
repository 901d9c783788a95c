package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The node's processes grouped by what their {@code /proc/<pid>/cgroup} says (faasd's function name,
 * a Kubernetes container's id): one pass over /proc per refresh, and for each group its lowest pid,
 * the instance's first process (the watchdog, whose environment is the container's).
 */
final class ProcCgroups {
    /** A group's first process and its cgroup file's text. */
    record First(long pid, String cgroupText) {}

    private ProcCgroups() {}

    /** For each key {@code keyOf} gives a cgroup text (null: none), the lowest pid under {@code proc}. */
    static Map<String, First> lowestPids(Path proc, Function<String, String> keyOf) throws IOException {
        Map<String, First> first = new TreeMap<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String text;
                try {
                    text = Files.readString(dir.resolve("cgroup"));
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                String key = keyOf.apply(text);
                if (key == null) {
                    continue;
                }
                long pid = Long.parseLong(dir.getFileName().toString());
                First seen = first.get(key);
                if (seen == null || pid < seen.pid()) {
                    first.put(key, new First(pid, text));
                }
            }
        }
        return first;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
