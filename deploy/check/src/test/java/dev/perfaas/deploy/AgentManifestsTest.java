package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The node agent's deployments (deploy/kubernetes/agent.yaml, deploy/faasd/perfaas-agent.service) grant
 * exactly the capabilities docs/deploy.md lists and explains, read pods and nothing else, and keep
 * the agent's disk and token where the docs say.
 */
class AgentManifestsTest {
    static final String AGENT = "perfaas-agent";
    static final String DOCS_SECTION = "### What the node agent is allowed";

    /** The capabilities docs/deploy.md's table lists, as CAP_ names. */
    static Set<String> documentedCapabilities() throws IOException {
        String docs = Files.readString(Tree.path("docs/deploy.md"));
        int at = docs.indexOf(DOCS_SECTION);
        assertTrue(at >= 0, "docs/deploy.md has no section '" + DOCS_SECTION + "'");
        int end = docs.indexOf("\n#", at + DOCS_SECTION.length());
        Matcher row = Pattern.compile("(?m)^\\| `(CAP_[A-Z_]+)` \\|")
                .matcher(docs.substring(at, end < 0 ? docs.length() : end));
        Set<String> caps = new TreeSet<>();
        while (row.find()) {
            caps.add(row.group(1));
        }
        assertFalse(caps.isEmpty(), "no capability table in " + DOCS_SECTION);
        return caps;
    }

    static Map<String, Object> daemonSet() throws IOException {
        return Kube.object("DaemonSet", AGENT);
    }

    @Test
    void theDaemonSetAddsExactlyTheDocumentedCapabilitiesToNone() throws Exception {
        Map<String, Object> security = Tree.map(Kube.container(daemonSet()).get("securityContext"));
        Map<String, Object> caps = Tree.map(security.get("capabilities"));
        assertEquals(List.of("ALL"), caps.get("drop"));
        Set<String> added = new TreeSet<>();
        for (Object c : Tree.list(caps.get("add"))) {
            added.add("CAP_" + c);
        }
        assertEquals(documentedCapabilities(), added);
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertFalse(security.containsKey("privileged"), "never privileged");
    }

    @Test
    void theDaemonSetSeesTheHostsProcessesAndCgroups() throws Exception {
        Map<String, Object> pod = Kube.podSpec(daemonSet());
        assertEquals(Boolean.TRUE, pod.get("hostPID"), "perf reports pids in the opener's pid namespace");
        assertFalse(pod.containsKey("hostNetwork"), "the agent only calls out: no host network");
        Map<String, Object> cgroup = volume(pod, "hostPath");
        assertEquals("/sys/fs/cgroup", Tree.map(cgroup.get("hostPath")).get("path"));
        Map<String, Object> mount = Kube.mount(daemonSet(), (String) cgroup.get("name"));
        assertEquals("/sys/fs/cgroup", mount.get("mountPath"), "perf -G resolves against the perf_event mount there");
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
        assertEquals(1, volumes(pod, "hostPath").size(), "no other host path");
    }

    @Test
    void theDaemonSetListsItsOwnNodesPodsAsAnAccountThatOnlyReadsPods() throws Exception {
        Map<String, Object> env = null;
        for (Object e : Tree.list(Kube.container(daemonSet()).get("env"))) {
            if ("NODE_NAME".equals(Tree.map(e).get("name"))) {
                env = Tree.map(e);
            }
        }
        assertNotNull(env, "NODE_NAME from the downward API");
        assertEquals("spec.nodeName", Tree.at(env, "valueFrom", "fieldRef", "fieldPath"));

        String account = (String) Kube.podSpec(daemonSet()).get("serviceAccountName");
        assertEquals(AGENT, account);
        Kube.object("ServiceAccount", account);
        Map<String, Object> binding = Kube.object("ClusterRoleBinding", AGENT);
        Map<String, Object> subject =
                Tree.map(Tree.list(binding.get("subjects")).get(0));
        assertEquals(Map.of("kind", "ServiceAccount", "name", account, "namespace", Kube.NAMESPACE), subject);
        assertEquals(1, Tree.list(binding.get("subjects")).size());
        String role = (String) Tree.at(binding, "roleRef", "name");
        assertEquals("ClusterRole", Tree.at(binding, "roleRef", "kind"));
        List<Object> rules = Tree.list(Kube.object("ClusterRole", role).get("rules"));
        assertEquals(
                List.of(Map.of(
                        "apiGroups",
                        List.of(""),
                        "resources",
                        List.of("pods"),
                        "verbs",
                        List.of("get", "list", "watch"))),
                rules);
    }

    @Test
    void theDaemonSetReadsTheControllersTokenFromTheSecretAndWritesOnlyBoundedVolumes() throws Exception {
        Map<String, Object> container = Kube.container(daemonSet());
        Map<String, String> args = flags(Tree.list(container.get("args")));
        Map<String, Object> pod = Kube.podSpec(daemonSet());
        Map<String, Object> secret = volume(pod, "secret");
        assertEquals(
                Kube.tokenSecretGenerator().get("name"),
                Tree.map(secret.get("secret")).get("secretName"));
        String mountPath =
                (String) Kube.mount(daemonSet(), (String) secret.get("name")).get("mountPath");
        assertEquals(mountPath + "/perfaas-token", args.get("--token-file"));
        assertEquals(
                "http://" + KubernetesManifestsTest.CONTROLLER + "." + Kube.NAMESPACE + ":" + Tree.controllerPort(),
                args.get("--controller"));

        List<String> writable = new ArrayList<>();
        for (Map<String, Object> v : volumes(pod, "emptyDir")) {
            assertNotNull(Tree.map(v.get("emptyDir")).get("sizeLimit"), v.get("name") + " is unbounded");
            writable.add(
                    (String) Kube.mount(daemonSet(), (String) v.get("name")).get("mountPath"));
        }
        assertTrue(writable.contains(args.get("--work")), "--work " + args.get("--work") + " on a bounded volume");
        assertTrue(writable.contains("/tmp"), "JIT maps are copied to /tmp: a bounded volume");
    }

    @Test
    void theSystemdUnitKeepsExactlyTheDocumentedCapabilities() throws Exception {
        Map<String, String> unit = unit();
        assertEquals(
                documentedCapabilities(),
                new TreeSet<>(List.of(unit.get("CapabilityBoundingSet").split(" "))));
        assertEquals("yes", unit.get("NoNewPrivileges"));
        assertEquals("root", unit.get("User"));
    }

    @Test
    void theSystemdUnitReadsFaasdsTokenAndWritesOnlyItsStateDirectory() throws Exception {
        Map<String, String> unit = unit();
        String secret = "/var/lib/faasd/secrets/perfaas-token";
        assertEquals("perfaas-token:" + secret, unit.get("LoadCredential"));
        assertTrue(
                Files.readString(Tree.path("deploy/faasd/README.md")).contains(secret), "the README makes " + secret);
        String start = unit.get("ExecStart");
        assertTrue(start.contains("--token-file \"$CREDENTIALS_DIRECTORY/perfaas-token\""), start);
        assertTrue(start.contains("--work /var/lib/" + unit.get("StateDirectory") + "'"), start);
        assertTrue(start.contains("--controller http://127.0.0.1:" + Tree.controllerPort()), start);
        assertEquals("strict", unit.get("ProtectSystem"));
        assertTrue(start.contains("dev.perfaas.agent.AgentMain"), start);
    }

    @Test
    void theImageRunsTheAgentsMainClassFromItsPackagedJars() throws Exception {
        String image = Files.readString(Tree.path("deploy/agent.Dockerfile"));
        assertTrue(image.contains("COPY trace-hooks/host/target/lib/ /opt/perfaas-agent/lib/"), image);
        assertTrue(image.contains("\"/opt/perfaas-agent/lib/*\", \"dev.perfaas.agent.AgentMain\"]"), image);
        assertTrue(Files.isRegularFile(Tree.path("trace-hooks/host/src/main/java/dev/perfaas/agent/AgentMain.java")));
        assertTrue(image.contains("linux-perf"), "perf beside the agent");
        String image2 = (String) Kube.container(daemonSet()).get("image");
        assertTrue(image2.startsWith("perfaas/perfaas-node-agent:"), image2);
    }

    /** The unit's settings, the last one of each key (systemd's rule for these). */
    static Map<String, String> unit() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Tree.path("deploy/faasd/perfaas-agent.service"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static Map<String, String> flags(List<Object> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            out.put(String.valueOf(args.get(i)), String.valueOf(args.get(i + 1)));
        }
        return out;
    }

    private static List<Map<String, Object>> volumes(Map<String, Object> pod, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object v : Tree.list(pod.get("volumes"))) {
            if (Tree.map(v).containsKey(type)) {
                out.add(Tree.map(v));
            }
        }
        return out;
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String type) {
        List<Map<String, Object>> found = volumes(pod, type);
        assertFalse(found.isEmpty(), "no " + type + " volume");
        return found.get(0);
    }
}
