package dev.perfaas.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Function containers of the Docker engine on this node: running containers labelled
 * {@code faas_function} (faas-netes' label, kept by tests and hand-run functions) or
 * {@code com.openfaas.function} (faas-cli's). A container's host pid and version label (its
 * {@code PERFAAS_VERSION}, else its Config.Image) are asked once and kept while it runs.
 */
final class DockerDiscovery implements Discovery {
    static final List<String> LABELS = List.of("faas_function", "com.openfaas.function");

    private final DockerEngine engine;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Inspected> inspected = new HashMap<>();

    /** What a container's inspection told. */
    private record Inspected(long pid, String version) {}

    DockerDiscovery(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public String source() {
        return "docker";
    }

    @Override
    public List<Instance> scan() throws IOException {
        List<Instance> found = new ArrayList<>();
        Set<String> running = new HashSet<>();
        for (JsonNode c : json.readTree(engine.get("/containers/json"))) {
            String function = function(c.path("Labels"));
            String id = c.path("Id").asText("");
            if (function == null || id.length() < 12) {
                continue;
            }
            running.add(id);
            Inspected known = inspected.get(id);
            if (known == null) {
                JsonNode container = json.readTree(engine.get("/containers/" + id + "/json"));
                long pid = container.path("State").path("Pid").asLong(0);
                if (pid <= 0) {
                    continue; // starting or stopping: next refresh
                }
                List<String> env = new ArrayList<>();
                container.path("Config").path("Env").forEach(e -> env.add(e.asText("")));
                String image = container.path("Config").path("Image").asText(null);
                known = new Inspected(pid, VersionLabel.of(env, image));
                inspected.put(id, known);
            }
            try {
                found.add(new Instance(
                        function, id.substring(0, 12), known.pid(), Cgroup.of(known.pid()), known.version()));
            } catch (IOException e) {
                inspected.remove(id); // exited since the list: gone
            }
        }
        inspected.keySet().retainAll(running);
        return found;
    }

    private static String function(JsonNode labels) {
        for (String label : LABELS) {
            String value = labels.path(label).asText("");
            if (!value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
