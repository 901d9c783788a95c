package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The perfaas checkout under test, and the readers the checks share. */
final class Tree {
    static final Path ROOT = Path.of(System.getProperty("perfaas.root", "../.."))
            .toAbsolutePath()
            .normalize();
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))");

    private Tree() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** Every document of a YAML file, as maps, lists and scalars. */
    static List<Object> yamlDocuments(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in).forEach(docs::add);
        }
        return docs;
    }

    /** A YAML file of one document that is a mapping. */
    static Map<String, Object> yaml(Path file) throws IOException {
        List<Object> docs = yamlDocuments(file);
        assertTrue(docs.size() == 1, file + " should hold one YAML document, has " + docs.size());
        return map(docs.get(0));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map, "expected a YAML mapping, got " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        assertTrue(node instanceof List, "expected a YAML list, got " + node);
        return (List<Object>) node;
    }

    /** Follows keys through nested mappings: at(doc, "spec", "template", "spec"). */
    static Object at(Map<String, Object> node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = map(current).get(key);
            assertNotNull(current, "no '" + key + "' in " + String.join(".", keys));
        }
        return current;
    }

    /** The port the controller listens on: quarkus.http.port in its application.properties. */
    static int controllerPort() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path("controller/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port").trim());
    }

    /** The variables a Dockerfile's ENV instructions set (the KEY=value form, quoted or not). */
    static Map<String, String> dockerfileEnv(Path dockerfile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dockerfile)) {
            if (!line.startsWith("ENV ")) {
                continue;
            }
            Matcher m = ENV_PAIR.matcher(line.substring(4));
            while (m.find()) {
                env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
            }
        }
        return env;
    }

    /** The folders right under a directory, sorted. */
    static List<Path> folders(String relative) throws IOException {
        try (Stream<Path> s = Files.list(path(relative))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
