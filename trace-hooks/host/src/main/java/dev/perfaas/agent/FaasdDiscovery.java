package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * faasd's functions: containerd runs each in a namespace of its own ({@code openfaas-fn}, or one the
 * operator added) with the function's name as container id, so its cgroup is
 * {@code /<namespace>/<function>} and faasd sets no label to ask for. Found by reading every
 * process's cgroup file for the namespaces it is told; the lowest pid of a cgroup is its instance's.
 * Its version label is that process's {@code PERFAAS_VERSION} (faasd's containers carry no image
 * reference a process can read).
 */
final class FaasdDiscovery implements Discovery {
    private final Path proc;
    private final Path cgroupRoot;
    private final List<String> namespaces;
    private final String defaultNamespace;

    /** {@code namespaces}: faasd's function namespaces; a function outside {@code defaultNamespace} is NAME.NAMESPACE. */
    FaasdDiscovery(Path proc, Path cgroupRoot, List<String> namespaces, String defaultNamespace) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
        this.namespaces = List.copyOf(namespaces);
        this.defaultNamespace = defaultNamespace;
    }

    @Override
    public String source() {
        return "faasd";
    }

    @Override
    public List<Instance> scan() throws IOException {
        List<Instance> found = new ArrayList<>();
        ProcCgroups.lowestPids(proc, this::function)
                .forEach((function, first) -> found.add(new Instance(
                        function,
                        function,
                        first.pid(),
                        Cgroup.parse(first.cgroupText(), cgroupRoot),
                        VersionLabel.ofProcess(proc.resolve(Long.toString(first.pid())), null))));
        return found;
    }

    /** The function of a process whose cgroup is under /NAMESPACE/ of one of the namespaces, else null. */
    String function(String procCgroupText) {
        for (String namespace : namespaces) {
            String prefix = ":/" + namespace + "/";
            int at = procCgroupText.indexOf(prefix);
            if (at < 0) {
                continue;
            }
            int from = at + prefix.length();
            int end = from;
            while (end < procCgroupText.length() && "/\n".indexOf(procCgroupText.charAt(end)) < 0) {
                end++;
            }
            if (end > from) {
                return Discovery.functionName(procCgroupText.substring(from, end), namespace, defaultNamespace);
            }
        }
        return null;
    }
}
