package dev.perfaas.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ./perfaas agent [--controller URL] [--token-file F] [--refresh-seconds N] [--perf PATH]
 * [--default-namespace NS] [--faasd-namespaces NS,...]}: the perfaas node agent, run as root (or with
 * CAP_PERFMON, CAP_SYS_PTRACE) in the host's pid namespace. Environment defaults: PERFAAS_CONTROLLER,
 * PERFAAS_TOKEN_FILE, PERFAAS_DEFAULT_NAMESPACE, PERFAAS_FAASD_NAMESPACES. In a Kubernetes pod
 * (KUBERNETES_SERVICE_HOST set) it also lists this node's function pods (NODE_NAME) as its ServiceAccount.
 */
public final class AgentMain {
    static final String USAGE = "usage: agent [--controller URL] [--token-file F] [--refresh-seconds N] [--perf PATH]"
            + " [--work DIR] [--default-namespace NS] [--faasd-namespaces NS,...]";

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private AgentMain() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        URI controller = URI.create(take(args, "--controller", env("PERFAAS_CONTROLLER", "http://127.0.0.1:9876")));
        String tokenFile = take(args, "--token-file", env("PERFAAS_TOKEN_FILE", null));
        int refresh = Integer.parseInt(take(args, "--refresh-seconds", "5"));
        String perf = take(args, "--perf", "perf");
        Path work = Path.of(take(args, "--work", "/tmp/perfaas-agent"));
        String defaultNamespace = namespace(
                "--default-namespace",
                take(args, "--default-namespace", env("PERFAAS_DEFAULT_NAMESPACE", Discovery.DEFAULT_NAMESPACE)));
        List<String> faasdNamespaces = namespaces(
                "--faasd-namespaces",
                take(args, "--faasd-namespaces", env("PERFAAS_FAASD_NAMESPACES", defaultNamespace)));
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
        discoveries.add(new FaasdDiscovery(Path.of("/proc"), Cgroup.ROOT, faasdNamespaces, defaultNamespace));
        KubernetesApi kubernetes = KubernetesApi.inCluster(System.getenv());
        if (kubernetes != null) {
            String node = env("NODE_NAME", null);
            if (node == null) {
                throw new IOException(
                        "in a Kubernetes pod, NODE_NAME (the downward API's spec.nodeName) names this node:"
                                + " without it every node's function pods would be listed");
            }
            discoveries.add(new KubernetesDiscovery(kubernetes, node, Path.of("/proc"), Cgroup.ROOT, defaultNamespace));
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

    /** A comma-separated list of namespace names ({@link #namespace}). */
    static List<String> namespaces(String flag, String list) throws IOException {
        List<String> names = new ArrayList<>();
        for (String name : list.split(",", -1)) {
            names.add(namespace(flag, name));
        }
        return names;
    }

    /** {@code name} when it is a namespace name as Kubernetes and OpenFaaS make them (a DNS-1123 label). */
    static String namespace(String flag, String name) throws IOException {
        if (!NAMESPACE.matcher(name).matches()) {
            throw new IOException(flag + ": \"" + name + "\" is not a namespace name (1 to 63 lowercase letters,"
                    + " digits and '-', starting and ending with a letter or digit)\n" + USAGE);
        }
        return name;
    }

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }
}
