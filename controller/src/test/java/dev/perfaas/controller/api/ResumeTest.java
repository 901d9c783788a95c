package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.loop.ControlStatus;
import dev.perfaas.controller.loop.ControlStore;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.loop.HistoryEntry;
import dev.perfaas.controller.loop.MeasuredPeriod;
import dev.perfaas.controller.loop.PublishedPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A controller started over a saved state as the controller before the journal left it (format 1:
 * one control.json, no counters), with configured targets and law settings, and the scheduled loop
 * running: an upgrade.
 */
@QuarkusTest
@TestProfile(ResumeTest.Saved.class)
class ResumeTest {

    static final Path DATA = Path.of("target/test-data-resume");
    static final Targets OWN = new Targets(0.02, 300, 19, 199, 0.001);

    public static class Saved implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            LawState prior = new ControlLaw(LawConfig.DEFAULT).initial(Targets.DEFAULT);
            HistoryEntry step = new HistoryEntry(
                    1234,
                    new MeasuredPeriod(60, 1, 1, 100, 1, 1, 0.001, 6, 0, null, 0),
                    0.001,
                    0.01,
                    0.01,
                    99,
                    12,
                    "samples",
                    false);
            FunctionControl saved = new FunctionControl(
                    prior,
                    new PublishedPolicy(0.01, 99, 12),
                    new ControlStatus(0.001, 0.01, "samples", false, 1234),
                    List.of(step));
            try {
                Files.createDirectories(DATA);
                new ObjectMapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValue(
                                DATA.resolve("control.json").toFile(),
                                Map.of(
                                        "format",
                                        1,
                                        "targets",
                                        Map.of("resumed", OWN),
                                        "functions",
                                        Map.of("resumed", saved, "resumed-clamped", saved)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "perfaas.data-dir",
                    DATA.toString(),
                    "perfaas.targets.max-frequency-hz",
                    "49",
                    "perfaas.law.prior-fraction",
                    "0.05",
                    "perfaas.control.period",
                    "1s",
                    "quarkus.scheduler.enabled",
                    "true",
                    "perfaas.stacks-dir",
                    "target/test-stacks-resume");
        }
    }

    @Test
    void answersTheSavedPolicyAndTargets() {
        given().when()
                .get("/v1/policy/resumed")
                .then()
                .statusCode(200)
                .body("fraction", equalTo(0.01f))
                .body("frequencyHz", equalTo(99))
                .body("version", equalTo(12));
        given().when()
                .get("/v1/targets/resumed")
                .then()
                .body("source", equalTo("function"))
                .body("maxFrequencyHz", equalTo(199));
        given().when()
                .get("/v1/functions/resumed")
                .then()
                .statusCode(200)
                .body("invocations", equalTo(0))
                .body("control.inControl", equalTo("samples"))
                .body("control.lastStepMillis", equalTo(1234))
                .body("history", hasSize(1))
                .body("history[0].measurement.invocations", equalTo(100));
    }

    @Test
    void aSavedPolicyOutsideTheConfiguredTargetsIsClampedAtStartup() {
        given().when()
                .get("/v1/policy/resumed-clamped")
                .then()
                .statusCode(200)
                .body("frequencyHz", equalTo(49))
                .body("version", equalTo(13));
        FunctionControl onDisk = new ControlStore(DATA, 30)
                .load()
                .functions()
                .get("resumed-clamped")
                .control();
        assertEquals(new PublishedPolicy(0.01, 49, 13), onDisk.policy());
    }

    @Test
    void theFormatOneFileIsMigratedAtStartup() throws IOException {
        assertEquals(
                2,
                new ObjectMapper()
                        .readTree(DATA.resolve("control.json").toFile())
                        .get("format")
                        .asInt());
        assertEquals(Map.of("resumed", OWN), new ControlStore(DATA, 30).load().targets());
    }

    @Test
    void theScheduledLoopStepsNewFunctionsWithTheConfiguredLaw() {
        given().when().get("/v1/targets").then().body("configured.maxFrequencyHz", equalTo(49));
        Windows.quiet("ticked", 0);
        // The only wait in these tests: the scheduler runs on its own clock.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        given().when().get("/v1/functions/ticked").then().body("control.inControl", equalTo("prior")));
        // The configured prior effort (0.05 at 99 Hz) at the lowest rung: async-profiler pays for its frequency.
        given().when()
                .get("/v1/policy/ticked")
                .then()
                .body("fraction", equalTo((float) (0.05 * 99 / 19)))
                .body("frequencyHz", equalTo(19));
    }
}
