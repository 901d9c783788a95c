package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/faasd/'s service: the controller, its folders and token on the host, published to the host only. */
class FaasdServicesTest {
    static Map<String, Object> service(String name) throws Exception {
        return Tree.map(Tree.at(Tree.yaml(Tree.path("deploy/faasd/docker-compose.perfaas.yaml")), "services", name));
    }

    static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Object e : Tree.list(service.get("environment"))) {
            String[] kv = ((String) e).split("=", 2);
            env.put(kv[0], kv[1]);
        }
        return env;
    }

    /** The bind mount whose target is that path. */
    static Map<String, Object> bindTo(Map<String, Object> service, String target) {
        for (Object v : Tree.list(service.get("volumes"))) {
            Map<String, Object> volume = Tree.map(v);
            if (target.equals(volume.get("target"))) {
                assertEquals("bind", volume.get("type"), "faasd mounts bind volumes only");
                return volume;
            }
        }
        throw new AssertionError("nothing is mounted at " + target);
    }

    @Test
    void theControllerIsPublishedOnItsPortToTheHostOnly() throws Exception {
        int port = Tree.controllerPort();
        assertEquals(
                List.of("127.0.0.1:" + port + ":" + port),
                service("perfaas-controller").get("ports"));
    }

    /**
     * Every faasd function shares faasd's network with its services: FlameScope (Flask's development
     * server) is no service there, it runs on the host's loopback (deploy/faasd/README.md).
     */
    @Test
    void flameScopeIsNoServiceFunctionsCouldReach() throws Exception {
        Map<String, Object> services = Tree.map(
                Tree.yaml(Tree.path("deploy/faasd/docker-compose.perfaas.yaml")).get("services"));
        assertEquals(Set.of("perfaas-controller"), services.keySet());
        String readme = Files.readString(Tree.path("deploy/faasd/README.md"));
        assertTrue(readme.contains("DEBUG = False") && readme.contains("HOST = '127.0.0.1'"), readme);
    }

    @Test
    void everyDirectoryTheControllerWritesIsAHostFolder() throws Exception {
        Map<String, Object> controller = service("perfaas-controller");
        for (String variable : CodeDefaults.controllerDirectoryVariables()) {
            String dir = env(controller).get(variable);
            assertNotNull(dir, variable + " is not set: the controller would write inside its container");
            assertNotEquals(Boolean.TRUE, bindTo(controller, dir).get("read_only"), variable);
        }
    }

    @Test
    void theControllerReadsItsTokenFromAReadOnlyFile() throws Exception {
        Map<String, Object> controller = service("perfaas-controller");
        assertEquals(
                Boolean.TRUE,
                bindTo(controller, env(controller).get("PERFAAS_API_TOKEN_FILE"))
                        .get("read_only"));
    }

    @Test
    void runsAsTheImagesUser() throws Exception {
        assertEquals(
                String.valueOf(ControllerImage.uid()),
                service("perfaas-controller").get("user"));
    }
}
