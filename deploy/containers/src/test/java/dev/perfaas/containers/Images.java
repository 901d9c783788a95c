package dev.perfaas.containers;

import dev.perfaas.launcher.FunctionBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images under test, built once per test run from this checkout with the repository's own
 * Dockerfiles (Docker's layer cache makes a rebuild of unchanged sources quick).
 */
final class Images {
    /** One tag per checkout: two worktrees testing at once must not replace each other's images. */
    private static final String TAG =
            Integer.toHexString(Checkout.PROJECT.root().toString().hashCode());

    /** examples/pi with the java17-perfaas template: no perf in the image. */
    static final String FUNCTION = "perfaas-test/pi:" + TAG;
    /** examples/pi with the java17-perfaas-perf template: the same plus linux-perf. */
    static final String PERF_FUNCTION = "perfaas-test/pi-perf:" + TAG;

    static final String CONTROLLER = "perfaas-test/controller:" + TAG;
    static final String GO_FUNCTION = "perfaas-test/go-collatz:" + TAG;
    static final String NODE_FUNCTION = "perfaas-test/node-primes:" + TAG;
    /** The function's build stage downloads the handler's and perfaas's dependencies from Maven Central. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private static final Set<String> FUNCTIONS_BUILT = new HashSet<>(); // guarded by Images.class
    private static boolean controllerBuilt;
    private static final Set<String> FOREIGN_BUILT = new HashSet<>(); // guarded by Images.class

    private Images() {}

    /**
     * examples/pi in a build context made as faas-cli build --shrinkwrap makes it (the template, its
     * links to perfaas's sources made real folders, the handler in function/), built with the
     * template's Dockerfile as faas-cli builds it, plus --network host (the only network here).
     */
    static String function() throws IOException {
        return templateImage(FUNCTION, "java17-perfaas");
    }

    /** The same with the java17-perfaas-perf template, whose image adds linux-perf. */
    static String perfFunction() throws IOException {
        return templateImage(PERF_FUNCTION, "java17-perfaas-perf");
    }

    private static synchronized String templateImage(String tag, String template) throws IOException {
        if (!FUNCTIONS_BUILT.contains(tag)) {
            StandIns.ensure();
            Path context = Files.createTempDirectory("perfaas-pi-context-");
            try {
                FunctionBuild.shrinkwrap(Checkout.PROJECT.template(template), Checkout.path("examples/pi"), context);
                Docker.ok(BUILD_TIMEOUT, "build", "--network", "host", "-t", tag, context.toString());
            } finally {
                FunctionBuild.deleteTree(context);
            }
            FUNCTIONS_BUILT.add(tag);
        }
        return tag;
    }

    /**
     * deploy/controller.Dockerfile over the packaged controller. The context holds exactly what the
     * Dockerfile's own .dockerignore admits (controller/target/quarkus-app/): Docker's classic
     * builder, the only one here, reads no per-Dockerfile ignore file and would send the whole tree.
     */
    static synchronized String controller() throws IOException {
        if (!controllerBuilt) {
            Path app = Checkout.path("controller/target/quarkus-app");
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(
                        app + " is missing: package the controller first (mvn -B verify builds it before this module)");
            }
            StandIns.ensure();
            Path context = Files.createTempDirectory("perfaas-controller-context-");
            try {
                copyTree(app, context.resolve("controller/target/quarkus-app"));
                Docker.ok(
                        BUILD_TIMEOUT,
                        "build",
                        "--network",
                        "host",
                        "-f",
                        Checkout.path("deploy/controller.Dockerfile").toString(),
                        "-t",
                        CONTROLLER,
                        context.toString());
            } finally {
                FunctionBuild.deleteTree(context);
            }
            controllerBuilt = true;
        }
        return CONTROLLER;
    }

    /**
     * A Go function perfaas did not build (deploy/containers/functions/go): Debian's Go toolchain in
     * its build stage, for the node agent to profile from the host.
     */
    static String goFunction() {
        return foreignFunction(GO_FUNCTION, "deploy/containers/functions/go");
    }

    /** A Node.js function perfaas did not build (deploy/containers/functions/node): Debian's nodejs. */
    static String nodeFunction() {
        return foreignFunction(NODE_FUNCTION, "deploy/containers/functions/node");
    }

    /** Builds the image of {@code folder} as {@code tag}, once per run. */
    private static synchronized String foreignFunction(String tag, String folder) {
        if (!FOREIGN_BUILT.contains(tag)) {
            StandIns.ensure();
            Docker.ok(
                    BUILD_TIMEOUT,
                    "build",
                    "--network",
                    "host",
                    "-t",
                    tag,
                    Checkout.path(folder).toString());
            FOREIGN_BUILT.add(tag);
        }
        return tag;
    }

    /** The image's size as the engine reports it (uncompressed, all layers, base included), in bytes. */
    static long size(String image) {
        return Long.parseLong(Docker.ok("image", "inspect", "--format", "{{.Size}}", image));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
