package dev.perfaas.controller.profiles;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: the stacks directory is a 4 MiB tmpfs. Mounting needs root (CAP_SYS_ADMIN);
 * without it the class fails at start instead of skipping. A fault suite can take the class whole.
 */
@QuarkusTest
@WithTestResource(FullDiskTest.Tmpfs.class)
class FullDiskTest {

    private static final String FILLER = "filler";

    public static class Tmpfs implements QuarkusTestResourceLifecycleManager {
        private Path mount;

        @Override
        public Map<String, String> start() {
            try {
                mount = Files.createTempDirectory("perfaas-full-disk");
                run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("perfaas.stacks-dir", mount.toString());
        }

        @Override
        public void stop() {
            try {
                run("umount", mount.toString());
                Files.delete(mount);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void run(String... command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (FullDiskTest needs root"
                            + " to mount a tmpfs): " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    PerfaasConfig config;

    @Inject
    ProfileStore store;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    void aFullDiskAnswers507UntilSpaceReturns() throws IOException {
        fill();
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(507)
                .contentType("application/json")
                .body(
                        "error",
                        startsWith("the stacks directory's filesystem is full: the profile was not stored,"
                                + " send it again later"));
        assertEquals(List.of(FILLER), Stacks.entries(config.stacksDir()), "no temp file, no function directory");
        given().when().get("/v1/storage").then().statusCode(200).body("full", equalTo(true));

        Files.delete(config.stacksDir().resolve(FILLER));
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "host-1")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(201);
        assertEquals(2, Stacks.entries(config.stacksDir()).size());
        given().when().get("/v1/storage").then().statusCode(200).body("full", equalTo(false));
    }

    /** The disk fills halfway through the body: the temp goes, the rest is never read, the next upload is stored. */
    @Test
    void aProfileLargerThanTheSpaceLeftLeavesNothingBehind() {
        byte[] big = Stacks.fixtureCopies(8 * 1024 * 1024 / Stacks.fixture().length + 1);
        given().contentType("text/plain")
                .body(big)
                .when()
                .post("/v1/profiles/big")
                .then()
                .statusCode(507);
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));

        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/big")
                .then()
                .statusCode(201);
    }

    /** strerror's message is translated under some locales: a filesystem without room is full whatever it says. */
    @Test
    void aFullFilesystemIsRecognisedWhateverTheMessage() throws IOException {
        IOException translated = new IOException("Auf dem Gerät ist kein Speicherplatz mehr verfügbar");
        assertFalse(store.retention().isFull(translated));
        fill();
        assertTrue(store.retention().isFull(translated));
    }

    private void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(config.stacksDir().resolve(FILLER))) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!"No space left on device".equals(e.getMessage())) {
                throw e;
            }
        }
    }
}
