package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML file under deploy/ and faas-stack.yml parses, every document of it. */
class DeployFilesTest {
    static List<Path> yamlFiles() throws Exception {
        try (Stream<Path> files = Files.walk(Tree.path("deploy"))) {
            List<Path> yaml = Stream.concat(
                            files.filter(p -> !p.toString().contains("/target/"))
                                    .filter(p -> p.toString().endsWith(".yaml")
                                            || p.toString().endsWith(".yml")),
                            Stream.of(Tree.path("faas-stack.yml")))
                    .sorted()
                    .toList();
            assertFalse(yaml.isEmpty());
            return yaml;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlFiles")
    void parses(Path file) throws Exception {
        List<Object> docs = Tree.yamlDocuments(file);
        assertFalse(docs.isEmpty(), file + " is empty");
        for (Object doc : docs) {
            Tree.map(doc);
        }
    }
}
