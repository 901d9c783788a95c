package dev.perfaas.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * faas-netes' functions on this node: the running pods labelled {@code faas_function} whose
 * {@code spec.nodeName} is this node (from the downward API), listed by the API server; each one's
 * function container (named as the function, as faas-netes names it, or the pod's only container) is
 * found among the node's processes by its id ({@code status.containerStatuses[].containerID},
 * {@code containerd://<id>}, {@code docker://<id>}, {@code cri-o://<id>}), which every container
 * runtime and cgroup driver puts in the container's cgroup path ({@code …/<id>},
 * {@code …-<id>.scope}). A function in a namespace other than the default is NAME.NAMESPACE
 * ({@link Discovery#functionName}).
 */
final class KubernetesDiscovery implements Discovery {
    static final String LABEL = "faas_function";
    private static final int ID_LENGTH = 64;

    private final KubernetesApi api;
    private final String node;
    private final Path proc;
    private final Path cgroupRoot;
    private final String defaultNamespace;
    private final ObjectMapper json = new ObjectMapper();

    KubernetesDiscovery(KubernetesApi api, String node, Path proc, Path cgroupRoot, String defaultNamespace) {
        this.api = api;
        this.node = node;
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
        this.defaultNamespace = defaultNamespace;
    }

    @Override
    public String source() {
        return "kubernetes";
    }

    /** The list asked of the API server: this node's pods that carry the label, in every namespace. */
    String podsQuery() {
        return "/api/v1/pods?fieldSelector=" + encode("spec.nodeName=" + node) + "&labelSelector=" + LABEL;
    }

    @Override
    public List<Instance> scan() throws IOException {
        Map<String, Pod> byContainerId = new HashMap<>();
        for (JsonNode pod : json.readTree(api.get(podsQuery())).path("items")) {
            Pod p = functionContainer(pod, defaultNamespace);
            if (p != null) {
                byContainerId.put(p.containerId(), p);
            }
        }
        List<Instance> found = new ArrayList<>();
        if (byContainerId.isEmpty()) {
            return found;
        }
        ProcCgroups.lowestPids(proc, text -> containerIdIn(text, byContainerId)).forEach((id, first) -> {
            Pod p = byContainerId.get(id);
            found.add(new Instance(
                    p.function(),
                    p.name(),
                    first.pid(),
                    Cgroup.parse(first.cgroupText(), cgroupRoot),
                    VersionLabel.ofProcess(proc.resolve(Long.toString(first.pid())), p.image())));
        });
        return found;
    }

    /** A pod's function, running function container and its image; null when it has none running yet (or any more). */
    record Pod(String function, String name, String containerId, String image) {}

    static Pod functionContainer(JsonNode pod, String defaultNamespace) {
        String function = pod.path("metadata").path("labels").path(LABEL).asText("");
        String name = pod.path("metadata").path("name").asText("");
        String namespace = pod.path("metadata").path("namespace").asText("");
        if (function.isEmpty()
                || name.isEmpty()
                || namespace.isEmpty()
                || !pod.path("status").path("phase").asText("").equals("Running")) {
            return null;
        }
        JsonNode statuses = pod.path("status").path("containerStatuses");
        for (JsonNode s : statuses) {
            if (!s.path("name").asText("").equals(function) && statuses.size() != 1) {
                continue; // a sidecar (a mesh's proxy): not the function
            }
            String id = s.path("containerID").asText("");
            int scheme = id.indexOf("://");
            if (!s.path("state").has("running") || scheme < 0) {
                return null;
            }
            return new Pod(
                    Discovery.functionName(function, namespace, defaultNamespace),
                    name,
                    id.substring(scheme + 3),
                    s.path("image").asText(null));
        }
        return null;
    }

    /** The first 64-hex-digit run of a cgroup file's text that is one of {@code ids}, else null. */
    static String containerIdIn(String procCgroupText, Map<String, ?> ids) {
        int run = 0;
        for (int i = 0; i <= procCgroupText.length(); i++) {
            char c = i < procCgroupText.length() ? procCgroupText.charAt(i) : '/';
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                run++;
                continue;
            }
            if (run == ID_LENGTH) {
                String id = procCgroupText.substring(i - run, i);
                if (ids.containsKey(id)) {
                    return id;
                }
            }
            run = 0;
        }
        return null;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
