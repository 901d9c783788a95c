package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a stand-in API server: the JDK's HTTPS server with a certificate keytool makes, trusted
 * through a ca.crt file as the ServiceAccount's, answering {@code GET /api/v1/pods} with the shape of
 * the real API's PodList (Kubernetes API reference, core/v1 Pod; field names as k8s.io/api/core/v1
 * types.go, vendored in openfaas/faas-netes, declares them: metadata.labels, spec.nodeName,
 * status.phase, status.containerStatuses[].{name, containerID, state.running}; faas-netes labels a
 * function's pods {@code faas_function=<name>} and names its container as the function,
 * pkg/handlers/deploy.go). The pods it reports point at real processes: one in a cgroup named as the
 * kubelet's systemd driver names a containerd container's, and, where Docker runs, a real container.
 */
class KubernetesDiscoveryTest {
    private static final String NODE = "node-a";
    private static final String TOKEN = "sa-token-1";

    private static Path keystore;
    private static String apiCa;
    private HttpsServer server;
    private Path tokenFile;
    private Path caFile;
    private volatile String podList = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[]}";
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> docker = new ArrayList<>();

    /** The API server's key and certificate, made once (keytool takes seconds on a busy machine). */
    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        keystore = dir.resolve("api.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Commands.out(List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "api",
                "-keyalg",
                "EC",
                "-dname",
                "CN=kube-apiserver",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit"));
        Path ca = dir.resolve("ca.crt");
        Commands.out(List.of(
                keytool.toString(),
                "-exportcert",
                "-rfc",
                "-alias",
                "api",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                ca.toString()));
        apiCa = Files.readString(ca);
    }

    @BeforeEach
    void standInApiServer(@TempDir Path dir) throws Exception {
        caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, apiCa);
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean pods = exchange.getRequestURI().getPath().equals("/api/v1/pods");
            int status = !("Bearer " + TOKEN).equals(auth) ? 401 : pods ? 200 : 404;
            String body = status == 200
                    ? podList
                    : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status + "}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        for (String id : docker) {
            new ProcessBuilder("docker", "rm", "-f", id).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private KubernetesDiscovery discovery() throws IOException {
        KubernetesApi api = new KubernetesApi(
                URI.create("https://127.0.0.1:" + server.getAddress().getPort()), tokenFile, caFile);
        return new KubernetesDiscovery(api, NODE, Path.of("/proc"), Cgroup.ROOT, Discovery.DEFAULT_NAMESPACE);
    }

    @Test
    void mapsEachRunningFunctionContainerToItsFirstHostProcess() throws Exception {
        String piId = hexId('7');
        String sidecarId = hexId('5');
        try (HostCgroups cgroups = HostCgroups.assumeWritable()) {
            String pod =
                    "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/";
            long pi = cgroups.start(pod + "cri-containerd-" + piId + ".scope");
            long sidecar = cgroups.start(pod + "cri-containerd-" + sidecarId + ".scope");
            String dockerId = dockerContainer();
            List<String> items = new ArrayList<>(List.of(
                    pod(
                            "pi-7d9f8c6b5-x2x9q",
                            "pi",
                            "Running",
                            container("linkerd-proxy", "containerd://" + sidecarId, true),
                            container("pi", "containerd://" + piId, true)),
                    pod("figlet-55d8b7c9f-k4k2z", "figlet", "Pending", container("figlet", "", false)),
                    pod("env-6c7b8d9e-q1q2w", "env", "Running", container("env", "containerd://" + hexId('9'), true))));
            if (dockerId != null) {
                items.add(pod(
                        "nodeinfo-5b6c7d-abcde",
                        "nodeinfo",
                        "Running",
                        container("nodeinfo", "docker://" + dockerId, true)));
            }
            podList = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"4711\"},"
                    + "\"items\":[" + String.join(",", items) + "]}";

            List<Instance> found = discovery().scan();

            assertEquals(
                    List.of("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE + "&labelSelector=faas_function"),
                    asked);
            Instance piInstance = found.stream()
                    .filter(i -> i.function().equals("pi"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(new Instance("pi", "pi-7d9f8c6b5-x2x9q", pi, Cgroup.of(pi), "x"), piInstance);
            assertTrue(piInstance.cgroup().perfEvent().endsWith("cri-containerd-" + piId + ".scope"));
            assertTrue(found.stream().noneMatch(i -> i.hostPid() == sidecar), "the mesh's proxy is not the function");
            // figlet is not running yet; env's container has no process on this node (the answer raced a restart).
            Set<String> expected = dockerId == null ? Set.of("pi") : Set.of("pi", "nodeinfo");
            assertEquals(
                    expected, Set.copyOf(found.stream().map(Instance::function).toList()));
            if (dockerId != null) {
                Instance node = found.stream()
                        .filter(i -> i.function().equals("nodeinfo"))
                        .findFirst()
                        .orElseThrow();
                long dockerPid =
                        Long.parseLong(Commands.out(List.of("docker", "inspect", "-f", "{{.State.Pid}}", dockerId)));
                assertEquals(dockerPid, node.hostPid(), "the container's first process, as Docker knows it");
                assertTrue(
                        node.cgroup().perfEvent().contains(dockerId),
                        node.cgroup().toString());
            }
        }
    }

    @Test
    void aRefusedTokenIsAnIoErrorSayingSo() throws Exception {
        Files.writeString(tokenFile, "expired\n");
        IOException e = assertThrows(IOException.class, () -> discovery().scan());
        assertTrue(e.getMessage().startsWith("Kubernetes API answered 401 to GET /api/v1/pods?"), e.getMessage());
        Files.writeString(tokenFile, TOKEN); // rotated by the kubelet: read again on the next request
        assertEquals(List.of(), discovery().scan());
    }

    @Test
    void aServerTheCaDidNotSignIsRefused() throws Exception {
        // Another real CA: the first of the JDK's own trusted roots.
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
            roots.load(in, null);
        }
        byte[] der = roots.getCertificate(roots.aliases().nextElement()).getEncoded();
        Files.writeString(
                caFile,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(der)
                        + "\n-----END CERTIFICATE-----\n");
        assertThrows(IOException.class, () -> discovery().scan());
        assertTrue(asked.isEmpty(), "no request reached the server: " + asked);
    }

    @Test
    void theContainerIdIsFoundInEachDriversCgroupPath() {
        String id = hexId('a');
        Map<String, Boolean> ids = Map.of(id, true);
        assertEquals(
                id, KubernetesDiscovery.containerIdIn("12:perf_event:/kubepods/besteffort/podx/" + id + "\n", ids));
        assertEquals(
                id,
                KubernetesDiscovery.containerIdIn("0::/kubepods.slice/k.slice/cri-containerd-" + id + ".scope\n", ids));
        assertEquals(id, KubernetesDiscovery.containerIdIn("0::/system.slice/docker-" + id + ".scope\n", ids));
        assertNull(KubernetesDiscovery.containerIdIn("0::/docker/" + hexId('b') + "\n", ids));
        assertNull(KubernetesDiscovery.containerIdIn("0::/docker/" + id + "ff\n", ids), "a longer run is another id");
    }

    @Test
    void aPodWithoutARunningFunctionContainerIsNoInstance() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertNull(KubernetesDiscovery.functionContainer(
                json.readTree(pod("a", "f", "Running", container("f", "", false))), Discovery.DEFAULT_NAMESPACE));
        assertNull(KubernetesDiscovery.functionContainer(
                json.readTree(pod("a", "f", "Succeeded", container("f", "docker://" + hexId('1'), true))),
                Discovery.DEFAULT_NAMESPACE));
        assertEquals(
                new KubernetesDiscovery.Pod("f", "a", hexId('2'), "x"),
                KubernetesDiscovery.functionContainer(
                        json.readTree(pod("a", "f", "Running", container("main", "cri-o://" + hexId('2'), true))),
                        Discovery.DEFAULT_NAMESPACE),
                "the only container is the function's, whatever its name");
    }

    @Test
    void aFunctionOutsideTheDefaultNamespaceIsNamedWithIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String running = container("f", "containerd://" + hexId('3'), true);
        assertEquals(
                "f.staging",
                KubernetesDiscovery.functionContainer(
                                json.readTree(podIn("staging", "a", "f", "Running", running)), "openfaas-fn")
                        .function());
        assertEquals(
                "f",
                KubernetesDiscovery.functionContainer(
                                json.readTree(podIn("staging", "a", "f", "Running", running)), "staging")
                        .function(),
                "the gateway's default namespace, where the operator moved it");
        assertEquals(
                "f.openfaas-fn",
                KubernetesDiscovery.functionContainer(json.readTree(pod("a", "f", "Running", running)), "staging")
                        .function());
    }

    private static String pod(String name, String function, String phase, String... containers) {
        return podIn(Discovery.DEFAULT_NAMESPACE, name, function, phase, containers);
    }

    private static String podIn(String namespace, String name, String function, String phase, String... containers) {
        return """
                {"metadata":{"name":"%s","namespace":"%s","uid":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                  "labels":{"faas_function":"%s","pod-template-hash":"7d9f8c6b5"}},
                 "spec":{"nodeName":"%s","containers":[{"name":"%s","image":"ghcr.io/openfaas/%s:latest"}]},
                 "status":{"phase":"%s","hostIP":"10.0.0.4","podIP":"10.42.0.17","containerStatuses":[%s]}}""".formatted(name, namespace, function, NODE, function, function, phase, String.join(",", containers));
    }

    private static String container(String name, String containerId, boolean running) {
        String state = running
                ? "{\"running\":{\"startedAt\":\"2026-12-06T21:00:00Z\"}}"
                : "{\"waiting\":{\"reason\":\"ContainerCreating\"}}";
        return "{\"name\":\"%s\",\"state\":%s,\"lastState\":{},\"ready\":%s,\"restartCount\":0,\"image\":\"x\",\"imageID\":\"\"%s}"
                .formatted(
                        name, state, running, containerId.isEmpty() ? "" : ",\"containerID\":\"" + containerId + "\"");
    }

    private static String hexId(char c) {
        return Character.toString(c).repeat(64);
    }

    /** A real Docker container's full id, or null (said loudly) where no Docker engine answers. */
    private String dockerContainer() throws Exception {
        boolean required = Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_DOCKER"));
        String id;
        try {
            id = Commands.out(List.of(
                    "docker", "run", "-d", "--rm", "--network", "none", "debian:bookworm-slim", "sleep", "300"));
        } catch (IOException e) {
            if (required) {
                fail("PERFAAS_REQUIRE_DOCKER=true and no container could be run: " + e.getMessage());
            }
            System.err.println("\n!!! no Docker engine: the docker:// pod of KubernetesDiscoveryTest is SKIPPED: "
                    + e.getMessage() + "\n");
            return null;
        }
        docker.add(id);
        return id;
    }
}
