package dev.perfaas.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * faasd's functions: containerd runs each in the namespace {@code openfaas-fn} with the function's name
 * as container id, so its cgroup is {@code /openfaas-fn/<function>} and faasd sets no label to ask
 * for. Found by reading every process's cgroup file; the lowest pid of a cgroup is its instance's.
 * Its version label is that process's {@code PERFAAS_VERSION} (faasd's containers carry no image
 * reference a process can read).
 */
final class FaasdDiscovery implements Discovery {
    private static final String PREFIX = "/openfaas-fn/";

    private final Path proc;
    private final Path cgroupRoot;

    FaasdDiscovery(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    @Override
    public String source() {
        return "faasd";
    }

    @Override
    public List<Instance> scan() throws IOException {
        Map<String, Long> lowestPid = new TreeMap<>();
        Map<String, String> cgroupText = new TreeMap<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String text;
                try {
                    text = Files.readString(dir.resolve("cgroup"));
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                String function = function(text);
                if (function == null) {
                    continue;
                }
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid < lowestPid.getOrDefault(function, Long.MAX_VALUE)) {
                    lowestPid.put(function, pid);
                    cgroupText.put(function, text);
                }
            }
        }
        List<Instance> found = new ArrayList<>();
        lowestPid.forEach((function, pid) -> found.add(new Instance(
                function,
                function,
                pid,
                Cgroup.parse(cgroupText.get(function), cgroupRoot),
                VersionLabel.of(environment(proc.resolve(Long.toString(pid))), null))));
        return found;
    }

    /** A process's environment as NAME=value entries; empty when it cannot be read (exited, or not ours to read). */
    private static List<String> environment(Path procDir) {
        try {
            return List.of(Files.readString(procDir.resolve("environ"), StandardCharsets.ISO_8859_1)
                    .split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The function of a process whose cgroup is under /openfaas-fn/, else null. */
    static String function(String procCgroupText) {
        int at = procCgroupText.indexOf(":" + PREFIX);
        if (at < 0) {
            return null;
        }
        int from = at + 1 + PREFIX.length();
        int end = from;
        while (end < procCgroupText.length() && "/\n".indexOf(procCgroupText.charAt(end)) < 0) {
            end++;
        }
        return end > from ? procCgroupText.substring(from, end) : null;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
