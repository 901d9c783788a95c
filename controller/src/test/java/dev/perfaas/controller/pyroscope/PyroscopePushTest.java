package dev.perfaas.controller.pyroscope;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.pyroscope.PushRequest;
import dev.perfaas.pyroscope.PyroscopeStandIn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller pushes what it stores to the Pyroscope stand-in: a profile stored while the stand-in
 * answers 503 arrives once it recovers; one older than Pyroscope accepts is counted and never sent.
 * The same across a real restart of the controller process: the launcher's PyroscopeRestartTest.
 */
@QuarkusTest
@TestProfile(PyroscopePushTest.WithPyroscope.class)
class PyroscopePushTest {

    /**
     * Where the stand-in listens: chosen by the profile, which Quarkus loads apart from the test (a
     * static stand-in would be two, one in each class loader), and started by the test.
     */
    static final String PORT = "pyroscope.stand-in.port";

    static PyroscopeStandIn PYROSCOPE;
    /** The fixture's first sample, on the clock of its sample times. */
    static final long FIRST_SAMPLE_NANOS = 522_557_696_000L;
    /** Generous: the machine these run on may be loaded far past its cores. */
    static final Duration LOADED = Duration.ofSeconds(60);

    public static class WithPyroscope implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Asked more than once: the same port each time.
            String port = System.getProperty(PORT);
            if (port == null) {
                port = Integer.toString(freePort());
                System.setProperty(PORT, port);
            }
            return Map.of(
                    "perfaas.pyroscope.url", "http://127.0.0.1:" + port, "perfaas.pyroscope.max-backoff", "200ms");
        }
    }

    @Inject
    PerfaasConfig config;

    private int receivedBefore;
    private double pushedBefore;

    @BeforeAll
    static void startPyroscope() throws IOException {
        PYROSCOPE = PyroscopeStandIn.start(Integer.parseInt(System.getProperty(PORT)));
    }

    @AfterAll
    static void stopPyroscope() {
        PYROSCOPE.close();
    }

    @BeforeEach
    void healthy() {
        PYROSCOPE.answer(200);
        await().atMost(LOADED).until(() -> metric("perfaas_pyroscope_queued") == 0);
        receivedBefore = PYROSCOPE.received().size();
        pushedBefore = metric("perfaas_pyroscope_pushed_total");
    }

    @AfterEach
    void storedProfilesOpenInFlameScope() throws IOException {
        FlameScopeOracle.readAll(config.stacksDir());
    }

    @Test
    void aProfileStoredWhilePyroscopeAnswers503ArrivesOnceItRecovers() {
        PYROSCOPE.answer(503);
        long now = System.currentTimeMillis();
        upload("instance-503", now).then().statusCode(201);
        await().atMost(LOADED).until(() -> PYROSCOPE.received().size() >= receivedBefore + 2); // tried and retried
        assertEquals(1, metric("perfaas_pyroscope_queued"));
        assertEquals(pushedBefore, metric("perfaas_pyroscope_pushed_total"));
        PYROSCOPE.answer(200);
        await().atMost(LOADED).until(() -> metric("perfaas_pyroscope_pushed_total") == pushedBefore + 1);
        PyroscopeStandIn.Received last =
                PYROSCOPE.accepted().get(PYROSCOPE.accepted().size() - 1);
        PushRequest.Series series = last.decoded().series().get(0);
        assertEquals(
                "instance-503",
                series.labelMap().get("instance"),
                series.labelMap().toString());
        assertEquals("sh", series.labelMap().get("service_name"));
        assertEquals(0, metric("perfaas_pyroscope_queued"));
    }

    @Test
    void aProfileOlderThanPyroscopeAcceptsIsCountedAndNeverSent() {
        double tooOld = metric("perfaas_pyroscope_refused_total", "too_old");
        long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        upload("instance-old", twoHoursAgo).then().statusCode(201);
        await().atMost(LOADED).until(() -> metric("perfaas_pyroscope_refused_total", "too_old") == tooOld + 1);
        assertEquals(receivedBefore, PYROSCOPE.received().size(), "never sent");
        assertEquals(0, metric("perfaas_pyroscope_queued"));
        assertTrue(PYROSCOPE.problems().isEmpty(), PYROSCOPE.problems().toString());
    }

    /** The fixture as the hook would send it at {@code windowMillis}, its samples taken from then on. */
    private static Response upload(String instance, long windowMillis) {
        return given().header("X-Perfaas-Instance", instance)
                .header("X-Perfaas-Window", Long.toString(windowMillis))
                .header("X-Perfaas-Engine", "perf")
                .header("X-Perfaas-Version", "v2")
                .header("X-Perfaas-Frequency-Hz", "99")
                .header("X-Perfaas-Clock-Offset-Nanos", Long.toString(windowMillis * 1_000_000 - FIRST_SAMPLE_NANOS))
                .contentType("text/plain")
                .body(Stacks.fixture())
                .post("/v1/profiles/sh");
    }

    static double metric(String name) {
        return metric(name, null);
    }

    static double metric(String name, String reason) {
        String scrape = given().get("/metrics").then().statusCode(200).extract().asString();
        String labels =
                reason == null ? "" : "\\{reason=\"" + reason + "\",?\\}"; // Prometheus text 0.0.4 ends labels with ","
        Matcher m = Pattern.compile("(?m)^" + name + labels + " ([0-9.eE+-]+)$").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError(name + labels + " is not in the scrape:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
