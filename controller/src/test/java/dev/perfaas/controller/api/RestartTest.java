package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionCounters;
import dev.perfaas.controller.loop.ControlStatus;
import dev.perfaas.controller.loop.ControlStore;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.loop.HistoryEntry;
import dev.perfaas.controller.loop.MeasuredPeriod;
import dev.perfaas.controller.loop.PublishedPolicy;
import dev.perfaas.controller.loop.SavedFunction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A controller restarted after a crash: its saved state holds a function's counters, its journal ends
 * in half a line and a temp file is left beside it; its stacks directory holds profiles, some of a
 * function nothing else remembers.
 */
@QuarkusTest
@TestProfile(RestartTest.Crashed.class)
class RestartTest {

    static final Path DATA = Path.of("target/test-data-restart");
    static final Path STACKS = Path.of("target/test-stacks-restart");
    static final Path TEMP = DATA.resolve(".control.json-5e1d.tmp");
    static final FunctionCounters SAVED =
            new FunctionCounters(1100, 11, 550, 21, 0, Map.of("pod-a", 1_000L, "pod-b", 2_000L));

    public static class Crashed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DATA);
                Files.createDirectories(STACKS);
                Stacks.clean(DATA);
                Stacks.clean(STACKS);
                LawState prior = new ControlLaw(LawConfig.DEFAULT).initial(Targets.DEFAULT);
                FunctionControl control = new FunctionControl(
                        prior,
                        new PublishedPolicy(0.01, 99, 12),
                        new ControlStatus(0.001, 0.9, "samples", false, 1234),
                        List.of(new HistoryEntry(
                                1234,
                                new MeasuredPeriod(60, 2, 2, 1000, 10, 1, 0.001, 500, 0, null, 0),
                                0.001,
                                0.9,
                                0.01,
                                99,
                                12,
                                "samples",
                                false)));
                ControlStore store = new ControlStore(DATA, 30);
                Map<String, SavedFunction> first = Map.of(
                        "counted",
                        new SavedFunction(
                                control, new FunctionCounters(1000, 10, 500, 20, 0, Map.of("pod-a", 1_000L))));
                store.save(Map.of(), first, () -> first);
                Map<String, SavedFunction> second = Map.of("counted", new SavedFunction(control, SAVED));
                store.save(Map.of(), second, () -> second);
                Files.writeString(
                        DATA.resolve("control.journal"), "{\"function\":\"counted\",\"coun", StandardOpenOption.APPEND);
                Files.writeString(TEMP, "{\"format\":2,\"id\":");

                profile("counted/counted-pod-a-20260101T000000.perf");
                profile("counted/counted-pod-b-20260101T000100.perf");
                profile("counted/.counted-pod-a-20260101T000200.perf");
                profile("uploaded-only/uploaded-only-pod-x-20260101T000000.perf");
                profile(".upload-77aa.tmp");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("perfaas.data-dir", DATA.toString(), "perfaas.stacks-dir", STACKS.toString());
        }

        private static void profile(String path) throws IOException {
            Files.createDirectories(STACKS.resolve(path).getParent());
            Files.write(STACKS.resolve(path), Stacks.fixture());
        }
    }

    @Test
    void countersSavedWithTheLastStepAndProfilesOnDiskAreBackAndCountOn() {
        given().when()
                .get("/v1/functions/counted")
                .then()
                .statusCode(200)
                .body("invocations", equalTo(1100))
                .body("traced", equalTo(11))
                .body("samples", equalTo(550))
                .body("reports", equalTo(21))
                .body("instances", equalTo(2))
                .body("instancesLastSeen.'pod-b'", equalTo(2000))
                .body("profiles", equalTo(2))
                .body("control.inControl", equalTo("samples"));

        Windows.post("counted", "pod-c", 0, 5, 1, 2, 100, 0, 0);
        given().when()
                .get("/v1/functions/counted")
                .then()
                .body("invocations", equalTo(1105))
                .body("reports", equalTo(22))
                .body("instances", equalTo(3));
    }

    @Test
    void aFunctionKnownOnlyFromItsProfilesIsListed() {
        given().when()
                .get("/v1/functions")
                .then()
                .statusCode(200)
                .body("function", hasItem("uploaded-only"))
                .body("function", not(hasItem("upload-77aa.tmp")))
                .body("find { it.function == 'uploaded-only' }.profiles", equalTo(1))
                .body("find { it.function == 'uploaded-only' }.invocations", equalTo(0));
    }

    @Test
    void theTempFileIsSweptAndTheCutJournalReplaced() throws IOException {
        assertFalse(Files.exists(TEMP));
        assertEquals(
                1,
                Files.readAllLines(DATA.resolve("control.journal"), UTF_8).size(),
                "compacted at startup: the header alone");
        assertEquals(
                SAVED,
                new ControlStore(DATA, 30).load().functions().get("counted").counters());
    }
}
