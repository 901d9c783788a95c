package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes/ agrees with the controller's code and with itself. */
class KubernetesManifestsTest {
    static final String CONTROLLER = "perfaas-controller";

    @Test
    void theKustomizationListsFilesThatExist() throws Exception {
        for (Object file : Tree.list(Kube.kustomization().get("resources"))) {
            assertTrue(Files.isRegularFile(Kube.DIR.resolve((String) file)), "missing " + file);
        }
    }

    @Test
    void everythingLivesInOpenFaasNamespace() throws Exception {
        for (Map<String, Object> o : Kube.objects()) {
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
        Map<String, Object> flamescope = Kube.object("Deployment", "flamescope");
        Map<String, Object> written = Kube.mountOfClaim(controller, claim);
        Map<String, Object> read = Kube.mountOfClaim(flamescope, claim);
        assertEquals(Kube.env(Kube.container(controller), "PERFAAS_STACKS_DIR"), written.get("mountPath"));
        assertEquals(Boolean.TRUE, read.get("readOnly"), "FlameScope only reads the profiles");
        assertEquals(
                5000,
                Tree.map(Tree.list(Tree.at(Kube.object("Service", "flamescope"), "spec", "ports"))
                                .get(0))
                        .get("port"));
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
