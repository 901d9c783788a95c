package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
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
    static final String BUILD_STAGE = "mvn -B -Dmaven.repo.local=/home/app/.m2/repository package";
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
        SeededRepository.unlink(temp.resolve("build/hello/.m2/repository"));
    }

    @Test
    void aFunctionMadeFromTheTemplateBuildsAndServes() throws Exception {
        Path template = Tree.path("templates").resolve(TEMPLATE);
        Path dockerfile = template.resolve("Dockerfile");
        assertTrue(Files.readString(dockerfile).contains("RUN " + BUILD_STAGE + "\n"), "the Dockerfile's build stage changed");

        // faas-cli new copies the template's function/ to ./hello; build --shrinkwrap writes build/hello/.
        Path handler = copyTree(template.resolve("function"), temp.resolve("hello"));
        Path context = copyTree(template, temp.resolve("build/hello"));
        deleteTree(context.resolve("function"));
        copyTree(handler, context.resolve("function"));
        SeededRepository.create(context.resolve(".m2/repository"));

        build(context);
        assertTrue(Files.isRegularFile(context.resolve("function/target/function.jar")));
        assertTrue(Files.isRegularFile(context.resolve("function/target/lib/perfaas-runtime-" + TreeJars.VERSION + ".jar")));

        Map<String, String> env = Tree.dockerfileEnv(dockerfile);
        int port = freePort();
        function = start(context, env.get("fprocess"), port);
        URI base = URI.create("http://127.0.0.1:" + port);
        awaitReady(base.resolve(env.get("ready_path")), context.resolve("function.log"));

        HttpResponse<String> hello = get(base.resolve("/"));
        assertEquals(200, hello.statusCode());
        assertEquals("Hello, world!\n", hello.body());
    }

    /** The build stage's command, offline (the outer build resolved everything) and quiet. */
    private static void build(Path context) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(mvn(), "-o", "-q"));
        for (String arg : BUILD_STAGE.substring("mvn ".length()).split(" ")) cmd.add(arg.replace("/home/app", context.toString()));
        Path log = context.resolve("build.log");
        Process p = new ProcessBuilder(cmd).directory(context.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
        ProcessBuilder b = new ProcessBuilder(fprocess.split(" ")).directory(context.toFile())
                .redirectErrorStream(true).redirectOutput(context.resolve("function.log").toFile());
        // The controller is down, as it may be when a function is deployed first: the function serves anyway.
        b.environment().putAll(Map.of("PERFAAS_PORT", Integer.toString(port),
                "PERFAAS_FUNCTION", "hello",
                "PERFAAS_CONTROLLER", "http://127.0.0.1:" + freePort(),
                "PERFAAS_SPOOL", context.resolve("spool").toString(),
                "PERFAAS_TOKEN_FILE", context.resolve("no-token").toString()));
        return b.start();
    }

    private void awaitReady(URI ready, Path log) throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!function.isAlive()) fail("the function exited with " + function.exitValue() + ":\n" + Files.readString(log));
            try {
                if (get(ready).statusCode() == 200) return;
            } catch (IOException notListeningYet) {
                // retried until the deadline
            }
            Thread.sleep(100);
        }
        fail(ready + " did not answer 200 within " + READY_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Copies a folder as faas-cli does, minus build output a workstation may have left in it. */
    private static Path copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.equals(".m2"))) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
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
