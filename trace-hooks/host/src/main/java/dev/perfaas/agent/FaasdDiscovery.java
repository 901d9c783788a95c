package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        List<Instance> found = new ArrayList<>();
        ProcCgroups.lowestPids(proc, FaasdDiscovery::function)
                .forEach((function, first) -> found.add(new Instance(
                        function,
                        function,
                        first.pid(),
                        Cgroup.parse(first.cgroupText(), cgroupRoot),
                        VersionLabel.ofProcess(proc.resolve(Long.toString(first.pid())), null))));
        return found;
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
}
