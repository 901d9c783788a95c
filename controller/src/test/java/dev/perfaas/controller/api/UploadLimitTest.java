package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UploadLimitTest.SmallLimit.class)
class UploadLimitTest {

    static final int LIMIT = 8192;

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "perfaas.max-upload-bytes",
                    String.valueOf(LIMIT),
                    "perfaas.stacks-dir",
                    "target/test-stacks-limit");
        }
    }

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    void bodyUnderTheLimitIsStored() {
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/small")
                .then()
                .statusCode(201);
        assertEquals(2, Stacks.entries(config.stacksDir()).size());
    }

    @Test
    void bodyOverTheLimitIsRefusedBeforeItIsRead() {
        given().contentType("text/plain")
                .body(Stacks.fixtureCopies(2))
                .when()
                .post("/v1/profiles/big")
                .then()
                .statusCode(413)
                .body(
                        "error",
                        equalTo("request body exceeds the limit of 8192 bytes (setting perfaas.max-upload-bytes)"));
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void gzipBombIsCutOffAtTheLimit() {
        byte[] big = Stacks.fixtureCopies(40); // ~180 kB of text, ~2 kB gzipped
        byte[] gz = Stacks.gzip(big);
        assertTrue(gz.length < LIMIT, "the compressed body itself must pass the raw limit");
        given().contentType("text/plain")
                .header("Content-Encoding", "gzip")
                .body(gz)
                .when()
                .post("/v1/profiles/bomb")
                .then()
                .statusCode(413)
                .body(
                        "error",
                        equalTo("profile exceeds the limit of 8192 bytes (after decompression;"
                                + " setting perfaas.max-upload-bytes)"));
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void chunkedBodyOverTheLimitIsRefused() {
        // No Content-Length: the limit can only bite while the body streams in, and still answers JSON.
        given().contentType("text/plain")
                .body(new ByteArrayInputStream(Stacks.fixtureCopies(3)))
                .when()
                .post("/v1/profiles/chunked")
                .then()
                .statusCode(413)
                .body(
                        "error",
                        equalTo("request body exceeds the limit of 8192 bytes (setting perfaas.max-upload-bytes)"));
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }
}
