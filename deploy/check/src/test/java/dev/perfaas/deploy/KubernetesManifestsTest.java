package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes/ agrees with the controller's code and with itself. */
class KubernetesManifestsTest {
    static final String CONTROLLER = "perfaas-controller";
    static final String FLAMESCOPE_FILE = "flamescope.yaml";
    static final String SERVICE_MONITOR_FILE = "servicemonitor.yaml";
    /** Where Quarkus serves the controller's Prometheus metrics. */
    static final String METRICS = "/q/metrics";

    @Test
    void theKustomizationListsFilesThatExist() throws Exception {
        for (Object file : Tree.list(Kube.kustomization().get("resources"))) {
            assertTrue(Files.isRegularFile(Kube.DIR.resolve((String) file)), "missing " + file);
        }
    }

    @Test
    void everythingLivesInOpenFaasNamespace() throws Exception {
        List<Map<String, Object>> all = new ArrayList<>(Kube.objects());
        all.addAll(Kube.objects(FLAMESCOPE_FILE));
        all.addAll(Kube.objects(SERVICE_MONITOR_FILE));
        for (Map<String, Object> o : all) {
            if (String.valueOf(o.get("kind")).startsWith("Cluster")) {
                assertNull(Tree.map(o.get("metadata")).get("namespace"), "cluster-scoped: " + o.get("kind"));
                continue;
            }
            assertEquals(
                    Kube.NAMESPACE,
                    Tree.at(o, "metadata", "namespace"),
                    o.get("kind") + " " + Tree.at(o, "metadata", "name"));
        }
        assertEquals(Kube.NAMESPACE, Kube.tokenSecretGenerator().get("namespace"));
    }

    @Test
    void theServiceAndTheContainerUseTheControllersPort() throws Exception {
        int port = Tree.controllerPort();
        Map<String, Object> container = Kube.container(Kube.object("Deployment", CONTROLLER));
        Map<String, Object> servicePort =
                Tree.map(Tree.list(Tree.at(Kube.object("Service", CONTROLLER), "spec", "ports"))
                        .get(0));
        assertEquals(port, servicePort.get("port"));
        assertEquals(port, Kube.containerPort(container, servicePort.get("targetPort")));
    }

    @Test
    void theProbesAskQuarkusHealthOnTheControllersPort() throws Exception {
        Map<String, Object> container = Kube.container(Kube.object("Deployment", CONTROLLER));
        Map<String, Object> ready = Tree.map(Tree.at(container, "readinessProbe", "httpGet"));
        Map<String, Object> live = Tree.map(Tree.at(container, "livenessProbe", "httpGet"));
        assertEquals("/q/health/ready", ready.get("path"));
        assertEquals("/q/health/live", live.get("path"));
        assertEquals(Tree.controllerPort(), Kube.containerPort(container, ready.get("port")));
        assertEquals(Tree.controllerPort(), Kube.containerPort(container, live.get("port")));
    }

    @Test
    void theControllerWritesAndFlameScopeReadsTheSameClaim() throws Exception {
        String claim = (String) Tree.at(Kube.object("PersistentVolumeClaim", "perfaas-stacks"), "metadata", "name");
        Map<String, Object> controller = Kube.object("Deployment", CONTROLLER);
        Map<String, Object> flamescope = flameScope();
        Map<String, Object> written = Kube.mountOfClaim(controller, claim);
        Map<String, Object> read = Kube.mountOfClaim(flamescope, claim);
        assertEquals(Kube.env(Kube.container(controller), "PERFAAS_STACKS_DIR"), written.get("mountPath"));
        assertEquals(Boolean.TRUE, read.get("readOnly"), "FlameScope only reads the profiles");
        assertEquals(Kube.NAMESPACE, Tree.at(flamescope, "metadata", "namespace"));
    }

    /**
     * FlameScope is Flask's development server and its config.py turns Werkzeug's debugger on, which
     * runs code a browser sends: it runs with debugging off, on the pod's loopback (kubectl
     * port-forward reaches that), with no Service, so no function pod can reach it; and it is not
     * applied by default.
     */
    @Test
    void flameScopeRunsWithoutItsDebuggerOnThePodsLoopbackOnly() throws Exception {
        assertFalse(Tree.list(Kube.kustomization().get("resources")).contains(FLAMESCOPE_FILE));
        Map<String, Object> container = Kube.container(flameScope());
        String command = String.join(
                " ",
                Tree.list(container.get("command")).stream()
                        .map(String::valueOf)
                        .toList());
        assertTrue(command.contains("debug=False"), command);
        assertTrue(command.contains("host='127.0.0.1'"), command);
        assertFalse(container.containsKey("ports"), "nothing to publish: it listens on loopback");
        assertFalse(
                Tree.map(container.get("readinessProbe")).containsKey("httpGet"),
                "an HTTP probe comes to the pod's address, where nothing listens");
        for (Path file : yamlFiles()) {
            for (Object doc : Tree.yamlDocuments(file)) {
                Map<String, Object> o = Tree.map(doc);
                String kind = String.valueOf(o.get("kind"));
                if (kind.equals("Service") || kind.equals("Ingress")) {
                    assertFalse(
                            o.toString().contains("flamescope"),
                            kind + " in " + file + " leads to FlameScope: function pods could reach it");
                }
            }
        }
    }

    /**
     * What Prometheus scrapers look for: OpenFaaS's bundled Prometheus reads the pod's annotations
     * (and scrapes /metrics on that port), endpoint-discovering configs the Service's, and the
     * Prometheus Operator a ServiceMonitor, kept out of the kustomization since its CRD may be absent.
     */
    @Test
    void theControllerCarriesWhatPrometheusScrapersLookFor() throws Exception {
        Map<String, Object> controller = Kube.object("Deployment", CONTROLLER);
        Map<String, Object> service = Kube.object("Service", CONTROLLER);
        Map<String, Object> expected = Map.of(
                "prometheus.io/scrape",
                "true",
                "prometheus.io/port",
                String.valueOf(Tree.controllerPort()),
                "prometheus.io/path",
                METRICS);
        for (Map<String, Object> annotated : List.of(
                Tree.map(Tree.at(controller, "spec", "template", "metadata", "annotations")),
                Tree.map(Tree.at(service, "metadata", "annotations")))) {
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                assertEquals(e.getValue(), annotated.get(e.getKey()), e.getKey());
            }
        }

        assertFalse(Tree.list(Kube.kustomization().get("resources")).contains(SERVICE_MONITOR_FILE));
        Map<String, Object> monitor = Kube.object(Kube.objects(SERVICE_MONITOR_FILE), "ServiceMonitor", CONTROLLER);
        assertEquals(Kube.NAMESPACE, Tree.at(monitor, "metadata", "namespace"));
        Map<String, Object> selector = Tree.map(Tree.at(monitor, "spec", "selector", "matchLabels"));
        Map<String, Object> labels = Tree.map(Tree.at(service, "metadata", "labels"));
        for (Map.Entry<String, Object> e : selector.entrySet()) {
            assertEquals(e.getValue(), labels.get(e.getKey()), "the ServiceMonitor selects the Service by " + e);
        }
        List<Object> endpoints = Tree.list(Tree.at(monitor, "spec", "endpoints"));
        assertEquals(1, endpoints.size());
        Map<String, Object> endpoint = Tree.map(endpoints.get(0));
        Map<String, Object> servicePort =
                Tree.map(Tree.list(Tree.at(service, "spec", "ports")).get(0));
        assertEquals(servicePort.get("name"), endpoint.get("port"));
        assertEquals(METRICS, endpoint.get("path"));
    }

    static Map<String, Object> flameScope() throws Exception {
        return Kube.object(Kube.objects(FLAMESCOPE_FILE), "Deployment", "flamescope");
    }

    static List<Path> yamlFiles() throws Exception {
        try (Stream<Path> files = Files.list(Kube.DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void theControllerReadsTheGeneratedTokenSecret() throws Exception {
        Map<String, Object> generator = Kube.tokenSecretGenerator();
        List<Object> files = Tree.list(generator.get("files"));
        assertEquals(1, files.size());
        String file = (String) files.get(0);
        String key = file.contains("=")
                ? file.substring(0, file.indexOf('='))
                : Path.of(file).getFileName().toString();
        Map<String, Object> controller = Kube.object("Deployment", CONTROLLER);
        String tokenFile = Kube.env(Kube.container(controller), "PERFAAS_API_TOKEN_FILE");
        for (Object v : Tree.list(Kube.podSpec(controller).get("volumes"))) {
            Object secret = Tree.map(v).get("secret");
            if (secret == null) {
                continue;
            }
            assertEquals(generator.get("name"), Tree.map(secret).get("secretName"));
            String mountPath = (String)
                    Kube.mount(controller, (String) Tree.map(v).get("name")).get("mountPath");
            assertEquals(mountPath + "/" + key, tokenFile);
            return;
        }
        throw new AssertionError("the controller mounts no secret");
    }

    @Test
    void everyDirectoryTheControllerWritesIsOnAClaim() throws Exception {
        Map<String, Object> controller = Kube.object("Deployment", CONTROLLER);
        for (String variable : CodeDefaults.controllerDirectoryVariables()) {
            String dir = Kube.env(Kube.container(controller), variable);
            assertTrue(
                    Kube.claimMountPaths(controller).stream().anyMatch(m -> dir.equals(m) || dir.startsWith(m + "/")),
                    variable + "=" + dir + " is on no PersistentVolumeClaim: lost with the pod");
        }
    }

    @Test
    void thePodsVolumeIsWritableForTheImagesUser() throws Exception {
        Object fsGroup = Tree.at(Kube.podSpec(Kube.object("Deployment", CONTROLLER)), "securityContext", "fsGroup");
        assertEquals(ControllerImage.uid(), fsGroup);
    }
}
