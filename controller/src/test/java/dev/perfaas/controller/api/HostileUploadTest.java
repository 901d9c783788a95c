package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attacks measured against the controller: each is answered in seconds, in JSON, never with a 500. */
@QuarkusTest
class HostileUploadTest {

    private static final Duration ANSWERED = Duration.ofSeconds(60);

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    void parallelGzipBombsAreRefusedInJson() throws Exception {
        // 8 at once gave six 500 OutOfMemoryError pages as plain text.
        byte[] bomb = Stacks.gzip("#\n".getBytes(StandardCharsets.UTF_8), 32_000_000);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> uploads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                uploads.add(() -> given().contentType("text/plain")
                        .header("Content-Encoding", "gzip")
                        .body(bomb)
                        .when()
                        .post("/v1/profiles/bomb"));
            }
            List<Future<Response>> answers = assertTimeoutPreemptively(ANSWERED, () -> clients.invokeAll(uploads));
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                assertTrue(r.statusCode() == 413 || r.statusCode() == 503, r.statusCode() + ": " + r.asString());
                assertTrue(r.contentType().startsWith("application/json"), r.contentType());
                assertTrue(r.jsonPath().getString("error").length() > 0, r.asString());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void aLongCommentHeaderIsStoredInLinearTime() {
        // 2 MB of '#' lines took the old reader 4 s, growing with the square of the size.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("#\n".repeat(4_000_000).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Stacks.fixture());
        assertTimeoutPreemptively(
                ANSWERED,
                () -> given().contentType("text/plain")
                        .body(body.toByteArray())
                        .when()
                        .post("/v1/profiles/comments")
                        .then()
                        .statusCode(201)
                        .body("samples", equalTo(Stacks.FIXTURE_SAMPLES)));
    }
}
