package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.profiles.ProfileStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Retention as uploads meet it: two fixture profiles fit a function, four fit the whole directory. */
@QuarkusTest
@WithTestResource(RetentionApiTest.LeftBehind.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionApiTest {

    static final Path STACKS = Path.of("target/test-stacks-retention");
    static final String CRASHED_UPLOAD = ".upload-crashed.tmp";
    static final String AGED = "aged/aged-host-1-20261001T000000.perf";
    private static final long WINDOW = 1795439942000L; // 2026-11-23T13:19:02Z

    /** Before the controller starts: an upload a crash cut short, and a profile older than max-age. */
    public static class LeftBehind implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Files.createDirectories(STACKS);
                Stacks.clean(STACKS);
                Files.write(STACKS.resolve(CRASHED_UPLOAD), new byte[1000]);
                Files.createDirectories(STACKS.resolve(AGED).getParent());
                Files.write(STACKS.resolve(AGED), Stacks.fixture());
                Files.setLastModifiedTime(
                        STACKS.resolve(AGED), FileTime.from(Instant.now().minus(Duration.ofDays(8))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "perfaas.stacks-dir",
                    STACKS.toString(),
                    "perfaas.max-upload-bytes",
                    "8192",
                    "perfaas.retention.max-function-bytes",
                    "12000",
                    "perfaas.retention.max-total-bytes",
                    "20000");
        }

        @Override
        public void stop() {}
    }

    @Inject
    PerfaasConfig config;

    @Inject
    ProfileStore store;

    @Test
    @Order(1)
    void startupRemovedTheCrashedUploadAndTheAgedProfile() {
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
        given().when()
                .get("/v1/storage")
                .then()
                .statusCode(200)
                .body("files", equalTo(0))
                .body("evictedFiles", equalTo(1))
                .body("evictedBytes", equalTo(Stacks.fixture().length))
                .body("limits.maxFunctionBytes", equalTo(12000))
                .body("limits.maxTotalBytes", equalTo(20000))
                .body("limits.maxAge", equalTo("PT168H"));
    }

    @Test
    void pastTheFunctionLimitItsOldestProfileGoesWhole() throws IOException {
        fresh();
        for (int i = 0; i < 3; i++) {
            upload("capped", WINDOW + i * 60_000L);
        }
        assertEquals(
                List.of(
                        "capped",
                        "capped/capped-host-1-20261123T132002.perf",
                        "capped/capped-host-1-20261123T132102.perf"),
                Stacks.entries(config.stacksDir()));
        assertArrayEquals(
                Stacks.storedFixture("capped", "host-1"),
                Files.readAllBytes(config.stacksDir().resolve("capped/capped-host-1-20261123T132002.perf")));
        given().when()
                .get("/v1/storage")
                .then()
                .statusCode(200)
                .body("files", equalTo(2))
                .body("bytes", equalTo(2 * Stacks.storedFixture("capped", "host-1").length))
                .body("functions.capped.files", equalTo(2))
                .body("full", equalTo(false));
    }

    @Test
    void pastTheTotalLimitTheOldestProfileOfAnyFunctionGoesWithItsDirectory() {
        fresh();
        for (String function : List.of("f1", "f2", "f3", "f4", "f5")) {
            upload(function, WINDOW);
        }
        assertEquals(
                List.of(
                        "f2",
                        "f2/f2-host-1-20261123T131902.perf",
                        "f3",
                        "f3/f3-host-1-20261123T131902.perf",
                        "f4",
                        "f4/f4-host-1-20261123T131902.perf",
                        "f5",
                        "f5/f5-host-1-20261123T131902.perf"),
                Stacks.entries(config.stacksDir()));
    }

    /** Each test starts from an empty directory, and the index forgets what the last test stored. */
    private void fresh() {
        Stacks.clean(config.stacksDir());
        try {
            store.retention().rescan();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void upload(String function, long window) {
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "host-1")
                .header("X-Perfaas-Window", Long.toString(window))
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/" + function)
                .then()
                .statusCode(201);
    }
}
