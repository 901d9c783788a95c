package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.NodeList;

/** Every template is what faas-cli and the template's own build expect. */
class TemplatesTest {
    static List<Path> templates() throws Exception {
        List<Path> all = Tree.folders("templates");
        assertFalse(all.isEmpty(), "no template under templates/");
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void hasWhatFaasCliAndTheBuildNeed(Path template) throws Exception {
        for (String file : List.of(
                "template.yml",
                "Dockerfile",
                "run.sh",
                "pom.xml",
                "function/pom.xml",
                "function/src/main/java/com/openfaas/function/Handler.java")) {
            assertTrue(Files.isRegularFile(template.resolve(file)), template.getFileName() + " has no " + file);
        }
        // faas-cli finds a template by its folder name; `language` must say the same.
        assertEquals(
                template.getFileName().toString(),
                Tree.yaml(template.resolve("template.yml")).get("language"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void theBuildContextsRootBuildsTheHookTheRuntimeAndThenTheFunction(Path template) throws Exception {
        NodeList modules = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(template.resolve("pom.xml").toFile())
                .getElementsByTagName("module");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            names.add(modules.item(i).getTextContent().trim());
        }
        assertEquals(List.of("perfaas/trace-hooks/java", "perfaas/runtime", "function"), names);
        // The hook and the runtime come from the template folder itself (links faas-cli makes real folders).
        for (String module : names) {
            assertTrue(Files.isRegularFile(template.resolve(module).resolve("pom.xml")), module);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void theWatchdogForwardsToTheRuntimeInHttpMode(Path template) throws Exception {
        Map<String, String> env = Tree.dockerfileEnv(template.resolve("Dockerfile"));
        assertEquals("http", env.get("mode"));
        assertEquals("http://127.0.0.1:" + CodeDefaults.runtimePort(), env.get("upstream_url"));
        // of-watchdog splits fprocess on spaces and runs it without a shell: run.sh is the command line.
        assertEquals("sh run.sh", env.get("fprocess"));
        assertEquals("/_/ready", env.get("ready_path"));
    }

    @Test
    void faasCliFindsTheTemplatesThroughARelativeSymlink() throws Exception {
        Path link = Tree.path("template");
        assertTrue(Files.isSymbolicLink(link), "template should be a symlink to templates");
        Path target = Files.readSymbolicLink(link);
        assertFalse(target.isAbsolute(), "an absolute link breaks in every other clone: " + target);
        assertEquals(Path.of("templates"), target);
    }
}
