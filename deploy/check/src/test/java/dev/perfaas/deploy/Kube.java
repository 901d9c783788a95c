package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Kubernetes manifests of deploy/kubernetes/, as kustomize assembles them. */
final class Kube {
    static final Path DIR = Tree.path("deploy/kubernetes");
    static final String NAMESPACE = "openfaas";

    private Kube() {}

    static Map<String, Object> kustomization() throws IOException {
        return Tree.yaml(DIR.resolve("kustomization.yaml"));
    }

    /** Every object of every file the kustomization lists. */
    static List<Map<String, Object>> objects() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object file : Tree.list(kustomization().get("resources"))) {
            out.addAll(objects((String) file));
        }
        return out;
    }

    /** Every object of one file, listed in the kustomization or applied on its own. */
    static List<Map<String, Object>> objects(String file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : Tree.yamlDocuments(DIR.resolve(file))) {
            out.add(Tree.map(doc));
        }
        return out;
    }

    static Map<String, Object> object(String kind, String name) throws IOException {
        return object(objects(), kind, name);
    }

    static Map<String, Object> object(List<Map<String, Object>> objects, String kind, String name) {
        for (Map<String, Object> o : objects) {
            if (kind.equals(o.get("kind")) && name.equals(Tree.at(o, "metadata", "name"))) {
                return o;
            }
        }
        return fail("no " + kind + " " + name + " in deploy/kubernetes");
    }

    /** The one container of a Deployment's pod. */
    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = Tree.list(Tree.at(deployment, "spec", "template", "spec", "containers"));
        assertEquals(1, containers.size());
        return Tree.map(containers.get(0));
    }

    static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return Tree.map(Tree.at(deployment, "spec", "template", "spec"));
    }

    /** The container's mount of the volume that names this claim. */
    static Map<String, Object> mountOfClaim(Map<String, Object> deployment, String claim) {
        for (Object v : Tree.list(podSpec(deployment).get("volumes"))) {
            Map<String, Object> volume = Tree.map(v);
            Object pvc = volume.get("persistentVolumeClaim");
            if (pvc != null && claim.equals(Tree.map(pvc).get("claimName"))) {
                return mount(deployment, (String) volume.get("name"));
            }
        }
        return fail("no volume of claim " + claim);
    }

    /** Where the container mounts PersistentVolumeClaims. */
    static List<String> claimMountPaths(Map<String, Object> deployment) {
        List<String> out = new ArrayList<>();
        for (Object v : Tree.list(podSpec(deployment).get("volumes"))) {
            Map<String, Object> volume = Tree.map(v);
            if (volume.containsKey("persistentVolumeClaim")) {
                out.add((String) mount(deployment, (String) volume.get("name")).get("mountPath"));
            }
        }
        return out;
    }

    static Map<String, Object> mount(Map<String, Object> deployment, String volume) {
        for (Object m : Tree.list(container(deployment).get("volumeMounts"))) {
            if (volume.equals(Tree.map(m).get("name"))) {
                return Tree.map(m);
            }
        }
        return fail("volume " + volume + " is not mounted");
    }

    static String env(Map<String, Object> container, String name) {
        for (Object e : Tree.list(container.get("env"))) {
            if (name.equals(Tree.map(e).get("name"))) {
                return (String) Tree.map(e).get("value");
            }
        }
        return fail("no env " + name);
    }

    /** A container port by number or by name. */
    static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Integer n) {
            return n;
        }
        for (Object p : Tree.list(container.get("ports"))) {
            if (port.equals(Tree.map(p).get("name"))) {
                return (Integer) Tree.map(p).get("containerPort");
            }
        }
        return fail("no container port " + port);
    }

    /** The Secret kustomize generates for the controller's token: its name and its one key. */
    static Map<String, Object> tokenSecretGenerator() throws IOException {
        List<Object> generators = Tree.list(kustomization().get("secretGenerator"));
        assertEquals(1, generators.size());
        return Tree.map(generators.get(0));
    }
}
