package dev.perfaas.hook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which container and process an instance is, for the controller to count each cold start once: a
 * pod restarted under the same name comes back as another process (pid, JVM start), and another
 * boot or cgroup tells a rescheduled pod apart. Read once at hook start, from files, never by DNS.
 * A field that cannot be read is null.
 */
record InstanceIdentity(String bootId, String hostname, String cgroup, long pid, long processStartMillis) {
    /** Longer texts are cut: a cgroup path of a nested runtime can be long, the report must not be. */
    static final int MAX_TEXT = 256;

    static InstanceIdentity read() {
        return new InstanceIdentity(
                firstLine(Path.of("/proc/sys/kernel/random/boot_id")),
                readHostname(),
                cgroup(Path.of("/proc/self/cgroup")),
                ProcessHandle.current().pid(),
                ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    private static String readHostname() {
        String name = firstLine(Path.of("/proc/sys/kernel/hostname"));
        return name != null ? name : cut(System.getenv("HOSTNAME"));
    }

    /**
     * The longest path in /proc/self/cgroup: the container's own group, whether it is under cgroup
     * v2 ({@code 0::/path}) or a v1 controller, where the other hierarchies may show just "/".
     */
    static String cgroup(Path file) {
        try {
            String longest = null;
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':', line.indexOf(':') + 1);
                if (colon < 0) {
                    continue;
                }
                String path = line.substring(colon + 1);
                if (longest == null || path.length() > longest.length()) {
                    longest = path;
                }
            }
            return cut(longest);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : cut(lines.get(0).strip());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cut(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}
