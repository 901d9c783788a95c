package dev.perfaas.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.pyroscope.PushRequest;
import dev.perfaas.pyroscope.PyroscopeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile stored while Pyroscope answers 503 reaches it after a real stop and start of the
 * controller process, once Pyroscope answers again: the push queue lives in the data directory.
 */
class PyroscopeRestartTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    private static final long FIRST_SAMPLE_NANOS = 100_100_000_000L;
    /** Two samples of pi's handler in perf script form, 0.1 s apart. */
    private static final String PROFILE = """
            java  4002   100.100000:   10101010 cpu-clock:pppH:\s
            \t    7f01 com.openfaas.function.Handler.leibnizPi (/tmp/perf-4002.map)
            \t    7e01 com.openfaas.function.Handler.handle (/tmp/perf-4002.map)

            java  4002   100.200001:   10101010 cpu-clock:pppH:\s
            \t    7f01 com.openfaas.function.Handler.leibnizPi (/tmp/perf-4002.map)
            \t    7e01 com.openfaas.function.Handler.handle (/tmp/perf-4002.map)
            """;

    @TempDir
    Path work;

    @AfterEach
    void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    @Test
    void aProfileStoredWhilePyroscopeIsDownArrivesAfterAControllerRestart() throws Exception {
        try (PyroscopeStandIn pyroscope = PyroscopeStandIn.start()) {
            pyroscope.answer(503);
            int port = Http.freePort();
            try (ControllerProcess c = start(port, pyroscope.url())) {
                HttpResponse<String> stored = upload(c.url);
                assertEquals(201, stored.statusCode(), stored.body());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !pyroscope.received().isEmpty());
                assertEquals(1.0, metric(c.url, "perfaas_pyroscope_queued"));
                assertEquals(0.0, metric(c.url, "perfaas_pyroscope_pushed_total"));
            }
            int attemptsBefore = pyroscope.received().size();
            pyroscope.answer(200);
            try (ControllerProcess c = start(port, pyroscope.url())) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> pyroscope.accepted().size() == 1);
                assertEquals(1.0, metric(c.url, "perfaas_pyroscope_pushed_total"));
                assertEquals(0.0, metric(c.url, "perfaas_pyroscope_queued"));
            }
            PushRequest.Series series =
                    pyroscope.accepted().get(0).decoded().series().get(0);
            assertEquals(
                    "pi",
                    series.labelMap().get("service_name"),
                    series.labelMap().toString());
            assertEquals(
                    "pi-7d9f-12",
                    series.labelMap().get("instance"),
                    series.labelMap().toString());
            assertEquals(
                    "v7", series.labelMap().get("version"), series.labelMap().toString());
            assertEquals(attemptsBefore + 1, pyroscope.received().size(), "pushed once after the restart");
        }
    }

    private ControllerProcess start(int port, URI pyroscope) throws Exception {
        return ControllerProcess.start(
                PROJECT,
                port,
                work.resolve("stacks"),
                Map.of(
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.pyroscope.url", pyroscope.toString(),
                        "perfaas.pyroscope.max-backoff", "200ms"),
                work.resolve("controller-" + System.nanoTime() + ".log"));
    }

    /** The profile as the hook sends it, its samples' clock set so that they were taken just now. */
    private static HttpResponse<String> upload(URI controller) throws Exception {
        long now = System.currentTimeMillis();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(controller.resolve("/v1/profiles/pi"))
                                .header("Content-Type", "text/plain; charset=utf-8")
                                .header("X-Perfaas-Instance", "pi-7d9f-12")
                                .header("X-Perfaas-Window", Long.toString(now))
                                .header("X-Perfaas-Engine", "perf")
                                .header("X-Perfaas-Version", "v7")
                                .header("X-Perfaas-Frequency-Hz", "10")
                                .header(
                                        "X-Perfaas-Clock-Offset-Nanos",
                                        Long.toString(now * 1_000_000 - FIRST_SAMPLE_NANOS))
                                .POST(HttpRequest.BodyPublishers.ofString(PROFILE))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(URI controller, String name) throws Exception {
        String scrape = Http.get(controller.resolve("/metrics")).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(scrape);
        if (!m.find()) {
            throw new AssertionError(name + " is not in the scrape:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }
}
