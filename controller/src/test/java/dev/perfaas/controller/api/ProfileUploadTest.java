package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProfileUploadTest {

    private static final String WINDOW = "1795439942000"; // 2026-11-23T13:19:02Z

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    /** Every profile the test stored opens in FlameScope. */
    @AfterEach
    void flameScopeOpensWhatWasStored() {
        FlameScopeOracle.readAll(config.stacksDir());
    }

    @Test
    void plainUploadLandsWhereFlameScopeLooks() throws IOException {
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "host-1")
                .header("X-Perfaas-Window", WINDOW)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(201)
                .body("function", equalTo("pi"))
                .body("instance", equalTo("host-1"))
                .body("path", equalTo("pi/pi-host-1-20261123T131902.perf"))
                .body("bytes", equalTo(Stacks.storedFixture("pi", "host-1").length))
                .body("samples", equalTo(Stacks.FIXTURE_SAMPLES));
        assertArrayEquals(
                Stacks.storedFixture("pi", "host-1"),
                Files.readAllBytes(config.stacksDir().resolve("pi/pi-host-1-20261123T131902.perf")));
        assertEquals(List.of("pi", "pi/pi-host-1-20261123T131902.perf"), Stacks.entries(config.stacksDir()));
    }

    @Test
    void gzipUploadIsStoredDecompressed() throws IOException {
        given().contentType("application/octet-stream")
                .header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", "host-1")
                .header("X-Perfaas-Window", WINDOW)
                .body(Stacks.gzip(Stacks.fixture()))
                .when()
                .post("/v1/profiles/pi-gz")
                .then()
                .statusCode(201)
                .body("path", equalTo("pi-gz/pi-gz-host-1-20261123T131902.perf"))
                .body("bytes", equalTo(Stacks.storedFixture("pi-gz", "host-1").length));
        assertArrayEquals(
                Stacks.storedFixture("pi-gz", "host-1"),
                Files.readAllBytes(config.stacksDir().resolve("pi-gz/pi-gz-host-1-20261123T131902.perf")));
    }

    @Test
    void sameWindowTwiceNeverOverwrites() {
        for (String expected : List.of(".perf", "-2.perf", "-3.perf")) {
            given().contentType("text/plain")
                    .header("X-Perfaas-Instance", "host-1")
                    .header("X-Perfaas-Window", WINDOW)
                    .body(Stacks.fixture())
                    .when()
                    .post("/v1/profiles/twice")
                    .then()
                    .statusCode(201)
                    .body("path", equalTo("twice/twice-host-1-20261123T131902" + expected));
        }
        assertEquals(
                List.of(
                        "twice",
                        "twice/twice-host-1-20261123T131902-2.perf",
                        "twice/twice-host-1-20261123T131902-3.perf",
                        "twice/twice-host-1-20261123T131902.perf"),
                Stacks.entries(config.stacksDir()));
    }

    @Test
    void namesAreKeptAsSent() {
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "Build-Host.local-4242")
                .header("X-Perfaas-Window", WINDOW)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/hello.openfaas-fn")
                .then()
                .statusCode(201)
                .body("function", equalTo("hello.openfaas-fn"))
                .body("instance", equalTo("Build-Host.local-4242"))
                .body(
                        "path",
                        equalTo("hello.openfaas-fn/hello.openfaas-fn-Build-Host.local-4242-20261123T131902.perf"));
    }

    @Test
    void withoutAUsableWindowTheUploadTimeNamesTheFile() {
        given().contentType("text/plain")
                .header("X-Perfaas-Window", "yesterday")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/nowin")
                .then()
                .statusCode(201)
                .body("instance", equalTo("unknown"))
                .body("path", matchesPattern("nowin/nowin-unknown-\\d{8}T\\d{6}\\.perf"));
    }

    @Test
    void seedFormTakesItsInstanceFromTheHeader() throws IOException {
        given().contentType("application/x-www-form-urlencoded")
                .header("X-name", "seeded")
                .header("X-Perfaas-Instance", "host-9")
                .header("X-Perfaas-Window", WINDOW)
                .body(new String(Stacks.fixture(), StandardCharsets.UTF_8))
                .when()
                .post("/")
                .then()
                .statusCode(201)
                .body("path", equalTo("seeded/seeded-host-9-20261123T131902.perf"));
        assertArrayEquals(
                Stacks.storedFixture("seeded", "host-9"),
                Files.readAllBytes(config.stacksDir().resolve("seeded/seeded-host-9-20261123T131902.perf")));
    }

    @Test
    void storedProfilesAreCountedPerFunction() {
        for (int i = 0; i < 2; i++) {
            given().contentType("text/plain")
                    .header("X-Perfaas-Instance", "host-" + i)
                    .body(Stacks.fixture())
                    .when()
                    .post("/v1/profiles/counted")
                    .then()
                    .statusCode(201);
        }
        given().when()
                .get("/v1/functions/counted")
                .then()
                .statusCode(200)
                .body("profiles", equalTo(2))
                .body("instances", equalTo(2));
    }
}
