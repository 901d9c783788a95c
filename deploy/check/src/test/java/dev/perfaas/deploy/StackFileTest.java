package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/** faas-stack.yml deploys the examples with the template, the controller's address and its token. */
class StackFileTest {
    static Map<String, Object> stack() throws Exception {
        return Tree.yaml(Tree.path("faas-stack.yml"));
    }

    static Map<String, Object> functions() throws Exception {
        return Tree.map(stack().get("functions"));
    }

    static List<String> functionNames() throws Exception {
        return List.copyOf(new TreeSet<>(functions().keySet()));
    }

    static Map<String, Object> function(String name) throws Exception {
        return Tree.map(functions().get(name));
    }

    @Test
    void isAnOpenFaasStackFile() throws Exception {
        Map<String, Object> stack = stack();
        assertEquals("1.0", String.valueOf(stack.get("version")));
        assertEquals("openfaas", Tree.at(stack, "provider", "name"));
        assertNotNull(Tree.at(stack, "provider", "gateway"));
    }

    @Test
    void deploysEveryExample() throws Exception {
        Set<String> examples = Tree.folders("examples").stream()
                .map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        assertEquals(new TreeSet<>(examples), new TreeSet<>(functions().keySet()));
    }

    @Test
    void namesWhereFaasCliPullsEachTemplateFrom() throws Exception {
        Set<String> configured = Tree.list(Tree.at(stack(), "configuration", "templates")).stream()
                .map(t -> (String) Tree.map(t).get("name"))
                .collect(Collectors.toSet());
        for (String name : functionNames()) {
            assertTrue(configured.contains((String) function(name).get("lang")), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionNames")
    void itsLangIsATemplateAndItsHandlerAHandlerOfIt(String name) throws Exception {
        Map<String, Object> fn = function(name);
        assertTrue(
                Files.isDirectory(Tree.path("templates").resolve((String) fn.get("lang"))),
                "no template " + fn.get("lang"));
        Path handler = Tree.ROOT.resolve((String) fn.get("handler")).normalize();
        assertTrue(Files.isRegularFile(handler.resolve("pom.xml")), handler + " has no pom.xml");
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(handler.resolve("pom.xml").toFile());
        assertEquals(
                name,
                pom.getDocumentElement()
                        .getElementsByTagName("artifactId")
                        .item(0)
                        .getTextContent());
        // run.sh starts function/target/function.jar with function/target/lib/*.
        assertEquals("function", pom.getElementsByTagName("finalName").item(0).getTextContent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionNames")
    void reportsUnderItsNameToTheControllersService(String name) throws Exception {
        Map<String, Object> env = Tree.map(function(name).get("environment"));
        assertEquals(name, env.get("PERFAAS_FUNCTION"));
        URI controller = URI.create((String) env.get("PERFAAS_CONTROLLER"));
        Map<String, Object> service = Kube.object("Service", "perfaas-controller");
        assertEquals(
                Tree.at(service, "metadata", "name") + "." + Tree.at(service, "metadata", "namespace"),
                controller.getHost());
        assertEquals(Tree.controllerPort(), controller.getPort());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionNames")
    void mountsTheTokenWhereTheHookLooks(String name) throws Exception {
        String secret = (String) Kube.tokenSecretGenerator().get("name");
        assertTrue(Tree.list(function(name).get("secrets")).contains(secret), name + " should mount " + secret);
        // OpenFaaS mounts a function's secret NAME at /var/openfaas/secrets/NAME.
        assertEquals("/var/openfaas/secrets/" + secret, CodeDefaults.hookTokenFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionNames")
    void asksForMemoryAndCpu(String name) throws Exception {
        for (String kind : List.of("requests", "limits")) {
            Map<String, Object> r = Tree.map(function(name).get(kind));
            assertNotNull(r.get("memory"), name + " " + kind + ".memory");
            assertNotNull(r.get("cpu"), name + " " + kind + ".cpu");
        }
    }
}
