package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.profiles.ProfileHeader;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller image from deploy/controller.Dockerfile, its profiles and state on host folders:
 * targets and per-function state survive `docker restart`, and the profiles it wrote are on the
 * host, readable by a user other than the controller's (FlameScope's).
 */
class ControllerContainerTest {
    private static final String FN = "shop";
    private static final String TARGETS = "{\"maxOverhead\":0.02,\"samplesPerMinute\":300,\"minFrequencyHz\":19,"
            + "\"maxFrequencyHz\":49,\"minFraction\":0.01}";
    /** A real `perf script --header` capture from the controller's own test data. */
    private static final Path PROFILE = Checkout.path("controller/src/test/resources/profiles/sh-loop.perf");
    /** Anyone but the controller's uid and root: nobody. */
    private static final String OTHER_USER = "65534:65534";

    @TempDir
    Path work;

    /** Per test, so that without Docker each test is reported skipped. */
    @BeforeEach
    void docker() {
        DockerEngine.assumeRunning();
    }

    @Test
    void targetsStateAndProfilesSurviveARestartOnTheHostFolders() throws Exception {
        // The loop steps every second, so a report is acted on before the restart.
        try (ControllerContainer c = ControllerContainer.start(work, Map.of("PERFAAS_CONTROL_PERIOD", "1s"))) {
            ControllerApi.putTargets(c.url, FN, TARGETS);
            long now = System.currentTimeMillis();
            for (int w = 3; w > 0; w--) {
                postReport(c.url, now - w * 60_000L);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !history(c.url).isEmpty());
            String stored = postProfile(c.url, now - 60_000L);

            Map<String, Object> targets = Json.parseObject(
                    Http.get(c.url.resolve("/v1/targets/" + FN)).body());
            Map<String, Object> policy = policy(c.url);
            List<Object> history = history(c.url);

            c.container.restart();
            c.awaitReady();

            assertEquals(
                    targets,
                    Json.parseObject(
                            Http.get(c.url.resolve("/v1/targets/" + FN)).body()),
                    "targets after the restart");
            assertEquals(policy, policy(c.url), "the policy answered after the restart");
            assertEquals(history, history(c.url), "the control history after the restart");

            Path profile = c.stacks.resolve(stored);
            // The controller's header line, then the body: the upload named no engine, version or frequency.
            String expected =
                    ProfileHeader.ofUpload(FN, "shop-1", null, null, null, null).line() + Files.readString(PROFILE);
            assertEquals(expected, Files.readString(profile), "the profile on the host folder");
            assertOtherReadable(c.stacks.resolve(FN), profile);
            assertEquals(expected.strip(), readAsAnotherUser(c.stacks, stored));
            try (Stream<Path> saved = Files.list(c.state)) {
                assertTrue(saved.findAny().isPresent(), "the controller's state is on the host folder");
            }
        }
    }

    private static void postReport(URI controller, long windowStart) throws Exception {
        String report = """
                {"function":"%s","instance":"shop-1","windowStartMillis":%d,"windowEndMillis":%d,"engine":"perf",
                 "policyVersion":1,"fraction":0.1,"frequencyHz":99,"invocations":1000,"traced":100,
                 "processCpuNanos":10000000000,"hookCpuNanos":10000000,"perfCpuNanos":10000000,"samples":300}
                """.formatted(FN, windowStart, windowStart + 60_000);
        HttpResponse<String> r = Http.send("POST", controller.resolve("/v1/reports"), report);
        assertEquals(202, r.statusCode(), r.body());
    }

    /** POST /v1/profiles/{fn} as the hook uploads; returns the stored path, relative to the stacks folder. */
    private static String postProfile(URI controller, long windowStart) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(controller.resolve("/v1/profiles/" + FN))
                .header("X-Perfaas-Instance", "shop-1")
                .header("X-Perfaas-Window", Long.toString(windowStart))
                .POST(HttpRequest.BodyPublishers.ofFile(PROFILE))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return (String) Json.parseObject(r.body()).get("path");
    }

    private static Map<String, Object> policy(URI controller) throws Exception {
        return Json.parseObject(Http.get(controller.resolve("/v1/policy/" + FN + "?instance=shop-1"))
                .body());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> history(URI controller) throws Exception {
        Object h = ControllerApi.function(controller, FN).get("history");
        return h instanceof List ? (List<Object>) h : List.of();
    }

    /** FlameScope runs as some other user: the folder must be listable and the file readable by others. */
    private static void assertOtherReadable(Path dir, Path file) throws Exception {
        Set<PosixFilePermission> d = Files.getPosixFilePermissions(dir);
        assertTrue(
                d.contains(PosixFilePermission.OTHERS_READ) && d.contains(PosixFilePermission.OTHERS_EXECUTE),
                dir + " is " + d);
        Set<PosixFilePermission> f = Files.getPosixFilePermissions(file);
        assertTrue(f.contains(PosixFilePermission.OTHERS_READ), file + " is " + f);
    }

    /** Reads a profile as an unprivileged user through a read-only mount, as FlameScope's container would. */
    private static String readAsAnotherUser(Path stacks, String relative) {
        return Docker.ok(
                "run",
                "--rm",
                "--network",
                "none",
                "--user",
                OTHER_USER,
                "-v",
                stacks + ":/profiles:ro",
                "debian:bookworm-slim",
                "cat",
                "/profiles/" + relative);
    }
}
