package dev.perfaas.launcher;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;

/**
 * Makes a build context the way {@code faas-cli build --shrinkwrap} does (the template folder with
 * its links into this repository turned into real folders, and the handler copied into function/),
 * then builds it with the Dockerfile's build-stage command, {@code mvn -B package}, which builds
 * the trace hook and runtime from those sources with the handler, but without the handler's tests,
 * which the image build runs: they would add a test run per example to every demo, and {@code mvn
 * -B verify} runs the examples' tests anyway.
 */
public final class FunctionBuild {
    private FunctionBuild() {}

    public static Path shrinkwrap(Project project, Path handler, Path buildContext) throws IOException {
        return shrinkwrap(project.template(), handler, buildContext);
    }

    /** The same with another template folder (java17-perfaas-perf). */
    public static Path shrinkwrap(Path template, Path handler, Path buildContext) throws IOException {
        if (!Files.isRegularFile(handler.resolve("pom.xml"))) {
            throw new IOException(handler + " has no pom.xml: not a java17-perfaas handler");
        }
        deleteTree(buildContext);
        copyTree(template, buildContext);
        deleteTree(buildContext.resolve("function"));
        copyTree(handler, buildContext.resolve("function"));
        return buildContext;
    }

    /**
     * A build context for a handler the perfaas build already packaged (target/function.jar and
     * target/lib/): the template's run.sh with function/ linked to the handler, the layout the
     * container has, without a second Maven build.
     */
    public static Path link(Project project, Path builtHandler, Path buildContext) throws IOException {
        if (!Files.isRegularFile(builtHandler.resolve("target/function.jar"))) {
            throw new IOException(builtHandler + " is not built: no target/function.jar (run mvn -B package)");
        }
        Files.createDirectories(buildContext);
        Files.copy(
                project.template().resolve("run.sh"),
                buildContext.resolve("run.sh"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(buildContext.resolve("function"));
        Files.createSymbolicLink(buildContext.resolve("function"), builtHandler.toAbsolutePath());
        return buildContext;
    }

    static void build(Path buildContext, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(List.of("mvn", "-B", "-q", "package", "-DskipTests"))
                .directory(buildContext.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("mvn -B package failed in " + buildContext + "; see " + log + ":\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log);
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** Copies a folder as faas-cli does: links are followed, so the copy holds real files. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(
                from, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        // Build output a workstation may have left in the folder is not part of it.
                        String name = dir.getFileName().toString();
                        if (!dir.equals(from) && name.equals("target")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.copy(
                                file,
                                to.resolve(from.relativize(file).toString()),
                                StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.COPY_ATTRIBUTES);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
