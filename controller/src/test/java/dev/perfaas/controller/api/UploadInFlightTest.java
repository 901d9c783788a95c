package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One upload in flight at most, each within a few seconds: an upload whose client holds its body
 * open keeps the slot (which also shows the body streams: the upload is under way before its end
 * was sent), the next is answered 503, and a client that stops sending is cut off with 408.
 */
@QuarkusTest
@TestProfile(UploadInFlightTest.OneSlot.class)
class UploadInFlightTest {

    static final int TIMEOUT_SECONDS = 8;

    public static class OneSlot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "perfaas.max-uploads-in-flight",
                    "1",
                    "perfaas.upload-timeout",
                    TIMEOUT_SECONDS + "s",
                    "perfaas.stacks-dir",
                    "target/test-stacks-in-flight");
        }
    }

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    void anUploadPastTheBoundIsAnswered503WithRetryAfter() throws IOException {
        byte[] fixture = Stacks.fixture();
        int half = fixture.length / 2;
        try (Socket held = open("/v1/profiles/held", fixture.length)) {
            held.getOutputStream().write(fixture, 0, half);
            held.getOutputStream().flush();
            awaitTempFile();

            given().contentType("text/plain")
                    .body(fixture)
                    .when()
                    .post("/v1/profiles/second")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .contentType("application/json")
                    .body(
                            "error",
                            equalTo("1 uploads are in flight, the most taken at once"
                                    + " (setting perfaas.max-uploads-in-flight): retry later"));

            held.getOutputStream().write(fixture, half, fixture.length - half);
            assertTrue(answer(held).startsWith("HTTP/1.1 201 "));
        }
        given().contentType("text/plain")
                .body(fixture)
                .when()
                .post("/v1/profiles/third")
                .then()
                .statusCode(201);
    }

    @Test
    void anUploadThatStopsSendingIsCutOffAtTheDeadline() throws IOException {
        byte[] fixture = Stacks.fixture();
        try (Socket stalled = open("/v1/profiles/stalled", fixture.length)) {
            stalled.getOutputStream().write(fixture, 0, fixture.length / 2);
            stalled.getOutputStream().flush();
            String answer = answer(stalled);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(
                    answer.endsWith("{\"error\":\"upload did not finish within " + TIMEOUT_SECONDS
                            + " s (setting perfaas.upload-timeout)\"}"),
                    answer);
        }
        assertEquals(0, Stacks.entries(config.stacksDir()).size(), "the temp file is gone");
        given().contentType("text/plain")
                .body(fixture)
                .when()
                .post("/v1/profiles/after")
                .then()
                .statusCode(201);
    }

    private void awaitTempFile() {
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS / 2))
                .until(() -> Stacks.entries(config.stacksDir()).stream().anyMatch(e -> e.startsWith(".upload-")));
    }

    /** A POST whose headers are sent and whose body is up to the caller. */
    private static Socket open(String path, int contentLength) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.setSoTimeout(TIMEOUT_SECONDS * 4 * 1000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
                        + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** The status line, headers and body of the answer, read as its Content-Length says. */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the answer's headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = Arrays.stream(headers.split("\r\n"))
                .filter(h -> h.toLowerCase().startsWith("content-length:"))
                .mapToInt(h -> Integer.parseInt(h.substring(h.indexOf(':') + 1).trim()))
                .findFirst()
                .orElse(0);
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
