package dev.perfaas.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./perfaas agent [--controller URL] [--token-file F] [--refresh-seconds N] [--perf PATH]}: the
 * perfaas node agent, run as root (or with CAP_PERFMON, CAP_SYS_PTRACE) in the host's pid namespace.
 * Environment defaults: PERFAAS_CONTROLLER, PERFAAS_TOKEN_FILE. In a Kubernetes pod (KUBERNETES_SERVICE_HOST
 * set) it also lists this node's function pods (NODE_NAME) as its ServiceAccount.
 */
public final class AgentMain {
    static final String USAGE =
            "usage: agent [--controller URL] [--token-file F] [--refresh-seconds N] [--perf PATH] [--work DIR]";

    private AgentMain() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        URI controller = URI.create(take(args, "--controller", env("PERFAAS_CONTROLLER", "http://127.0.0.1:9876")));
        String tokenFile = take(args, "--token-file", env("PERFAAS_TOKEN_FILE", null));
        int refresh = Integer.parseInt(take(args, "--refresh-seconds", "5"));
        String perf = take(args, "--perf", "perf");
        Path work = Path.of(take(args, "--work", "/tmp/perfaas-agent"));
        if (!args.isEmpty()) {
            System.err.println("agent: unknown arguments " + args + "\n" + USAGE);
            System.exit(2);
        }
        String token =
                tokenFile == null ? null : Files.readString(Path.of(tokenFile)).strip();
        System.err.println("perfaas agent: " + PerfEventMount.ensure());
        List<Discovery> discoveries = new ArrayList<>();
        if (Files.exists(DockerEngine.SOCKET)) {
            discoveries.add(new DockerDiscovery(new DockerEngine(DockerEngine.SOCKET)));
        }
        discoveries.add(new FaasdDiscovery(Path.of("/proc"), Cgroup.ROOT));
        KubernetesApi kubernetes = KubernetesApi.inCluster(System.getenv());
        if (kubernetes != null) {
            String node = env("NODE_NAME", null);
            if (node == null) {
                throw new IOException(
                        "in a Kubernetes pod, NODE_NAME (the downward API's spec.nodeName) names this node:"
                                + " without it every node's function pods would be listed");
            }
            discoveries.add(new KubernetesDiscovery(kubernetes, node, Path.of("/proc"), Cgroup.ROOT));
        }
        System.err.println("perfaas agent: reporting to " + controller + "; discovery: "
                + discoveries.stream().map(Discovery::source).toList());
        try (NodeAgent agent = new NodeAgent(discoveries, new ControllerApi(controller, token), perf, work, refresh)) {
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
            agent.run();
        }
    }

    private static String take(List<String> args, String flag, String otherwise) throws IOException {
        int at = args.indexOf(flag);
        if (at < 0) {
            return otherwise;
        }
        if (at + 1 >= args.size()) {
            throw new IOException(flag + " needs a value\n" + USAGE);
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return value;
    }

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }
}
