package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template builds and serves the way OpenFaaS runs it, minus Docker: a build context made as
 * {@code faas-cli new} + {@code faas-cli build --shrinkwrap} make it (the template, with the template's
 * own handler skeleton in function/), built with the Dockerfile's build-stage command, then started with
 * the Dockerfile's fprocess and probed through its ready_path, as of-watchdog would.
 */
class BuildContextTest {
    static final String TEMPLATE = "java17-perfaas";
    /** The build-stage command of the Dockerfile, which this test runs (offline and quiet). */
    static final String BUILD_STAGE = "mvn -B package";

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Process function;

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.descendants().forEach(ProcessHandle::destroyForcibly);
            function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFunctionMadeFromTheTemplateBuildsAndServes() throws Exception {
        Path template = Tree.path("templates").resolve(TEMPLATE);
        Path dockerfile = template.resolve("Dockerfile");
        assertTrue(
                Files.readString(dockerfile).contains("RUN " + BUILD_STAGE + "\n"),
                "the Dockerfile's build stage changed");

        // faas-cli new copies the template's function/ to ./hello; build --shrinkwrap writes build/hello/
        // (the template, its links made real folders, with the handler in function/), which is what
        // FunctionBuild.shrinkwrap makes. Nothing of perfaas comes from a Maven repository.
        Path context = FunctionBuild.shrinkwrap(
                new Project(Tree.path(".")), template.resolve("function"), temp.resolve("build/hello"));
        assertTrue(Files.isRegularFile(
                context.resolve("perfaas/trace-hooks/java/src/main/java/dev/perfaas/hook/TraceHook.java")));
        assertFalse(
                Files.isSymbolicLink(context.resolve("perfaas/runtime")), "the build context must hold real folders");

        build(context);
        assertTrue(Files.isRegularFile(context.resolve("function/target/function.jar")));
        assertTrue(Files.isRegularFile(
                context.resolve("function/target/lib/perfaas-runtime-" + TreeJars.VERSION + ".jar")));

        Map<String, String> env = Tree.dockerfileEnv(dockerfile);
        int port = Http.freePort();
        function = start(context, env.get("fprocess"), port);
        URI base = URI.create("http://127.0.0.1:" + port);
        awaitReady(base.resolve(env.get("ready_path")), context.resolve("function.log"));

        HttpResponse<String> hello = Http.get(base.resolve("/"));
        assertEquals(200, hello.statusCode());
        assertEquals("Hello, world!\n", hello.body());
    }

    /**
     * The build stage's command, offline (the outer build resolved everything), quiet, and without
     * the tests of perfaas's own modules, which the image build leaves out too (.dockerignore) and
     * which ran earlier in this build; the template's handler skeleton has none.
     */
    private static void build(Path context) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(mvn(), "-o", "-q", "-DskipTests"));
        cmd.addAll(List.of(BUILD_STAGE.substring("mvn ".length()).split(" ")));
        Path log = context.resolve("build.log");
        Process p = new ProcessBuilder(cmd)
                .directory(context.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " took longer than " + BUILD_TIMEOUT + "\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + Files.readString(log));
    }

    private static String mvn() {
        Path home = Path.of(System.getProperty("perfaas.maven.home", ""), "bin", "mvn");
        return Files.isExecutable(home) ? home.toString() : "mvn";
    }

    /** fprocess as of-watchdog runs it: split on spaces, no shell, in the function's folder. */
    private static Process start(Path context, String fprocess, int port) throws IOException {
        ProcessBuilder b = new ProcessBuilder(fprocess.split(" "))
                .directory(context.toFile())
                .redirectErrorStream(true)
                .redirectOutput(context.resolve("function.log").toFile());
        // The controller is down, as it may be when a function is deployed first: the function serves anyway.
        b.environment()
                .putAll(Map.of(
                        "PERFAAS_PORT",
                        Integer.toString(port),
                        "PERFAAS_FUNCTION",
                        "hello",
                        "PERFAAS_CONTROLLER",
                        "http://127.0.0.1:" + Http.freePort(),
                        "PERFAAS_SPOOL",
                        context.resolve("spool").toString(),
                        "PERFAAS_TOKEN_FILE",
                        context.resolve("no-token").toString()));
        return b.start();
    }

    private void awaitReady(URI ready, Path log) throws Exception {
        if (!Http.awaitOk(ready, READY_TIMEOUT, function::isAlive)) {
            fail(ready + " did not answer 200 within " + READY_TIMEOUT
                    + (function.isAlive() ? "" : " (the function exited with " + function.exitValue() + ")") + ":\n"
                    + Files.readString(log));
        }
    }
}
