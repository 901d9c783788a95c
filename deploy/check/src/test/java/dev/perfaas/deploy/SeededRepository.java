package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Maven local repository for a build context's {@code .m2/repository} (where the template's Dockerfile
 * keeps it): this tree's perfaas-parent, perfaas-trace-hook and perfaas-runtime, laid out as
 * {@code mvn install} would, and everything else linked from the outer build's local repository, so the
 * nested build runs offline with what the outer build already resolved. The tree's jars are used, not
 * installed ones: inside {@code mvn verify} at the root nothing of this build is installed yet.
 */
final class SeededRepository {
    private static final String GROUP_DIR = "dev/perfaas";

    private SeededRepository() {}

    static Path outerRepository() {
        String configured = System.getProperty("perfaas.maven.repo");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static void create(Path repo) throws IOException {
        Path outer = outerRepository();
        assertTrue(Files.isDirectory(outer), "no Maven local repository at " + outer);
        linkAllBut(outer, repo, "dev");
        linkAllBut(outer.resolve("dev"), repo.resolve("dev"), "perfaas");
        artifact(repo, "perfaas-parent", Tree.path("pom.xml"), null);
        artifact(repo, "perfaas-trace-hook", Tree.path("trace-hooks/java/pom.xml"), TreeJars.jar("trace-hooks/java", "perfaas-trace-hook"));
        artifact(repo, "perfaas-runtime", Tree.path("runtime/pom.xml"), TreeJars.jar("runtime", "perfaas-runtime"));
    }

    /** Links every entry of {@code from} into {@code to} except one name, which stays a real folder. */
    private static void linkAllBut(Path from, Path to, String except) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals(except)) Files.createSymbolicLink(to.resolve(entry.getFileName()), entry);
            }
        }
    }

    private static void artifact(Path repo, String artifactId, Path pom, Path jar) throws IOException {
        String base = artifactId + "-" + TreeJars.VERSION;
        Path dir = Files.createDirectories(repo.resolve(GROUP_DIR).resolve(artifactId).resolve(TreeJars.VERSION));
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the links before the folder is deleted, so no deletion can reach the outer repository. */
    static void unlink(Path repo) throws IOException {
        for (Path dir : List.of(repo, repo.resolve("dev"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) if (Files.isSymbolicLink(entry)) Files.delete(entry);
            }
        }
    }
}
