package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jars this tree's build made, in each module's target/. The checks read the code of the tree
 * they check, not what an earlier `mvn install` left in the local repository.
 */
final class TreeJars {
    static final String VERSION = System.getProperty("perfaas.version", "0.1.0-SNAPSHOT");
    private static ClassLoader loader;

    private TreeJars() {}

    static Path jar(String module, String artifactId) {
        Path jar = Tree.path(module).resolve("target").resolve(artifactId + "-" + VERSION + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package " + module + " first (mvn -B package)");
        return jar;
    }

    /** A class of the runtime, the trace hook or the controller, without their dependencies. */
    static synchronized Class<?> load(String name) throws ClassNotFoundException, MalformedURLException {
        if (loader == null) {
            URL[] jars = {
                url(jar("runtime", "perfaas-runtime")),
                url(jar("trace-hooks/java", "perfaas-trace-hook")),
                url(jar("controller", "perfaas-controller"))
            };
            loader = new URLClassLoader(jars, ClassLoader.getPlatformClassLoader());
        }
        return Class.forName(name, false, loader);
    }

    private static URL url(Path jar) throws MalformedURLException {
        return jar.toUri().toURL();
    }
}
