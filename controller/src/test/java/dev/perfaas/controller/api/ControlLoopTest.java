package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.loop.ControlService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ControlLoopTest {

    @Inject
    ControlService control;

    @Test
    void aNewFunctionGetsTheLawsPrior() {
        Windows.quiet("loop-new", 0);
        JsonPath before = policy("loop-new");
        assertEquals(Prior.FRACTION, before.getDouble("fraction"), 1e-9, "the prior before the loop sees it");
        assertEquals(Prior.HZ, before.getInt("frequencyHz"));

        control.stepAll(System.currentTimeMillis());

        JsonPath after = policy("loop-new");
        assertEquals(Prior.FRACTION, after.getDouble("fraction"), 1e-9);
        assertEquals(Prior.HZ, after.getInt("frequencyHz"));
        assertEquals(
                before.getLong("version"), after.getLong("version"), "same values, same version: hooks see no change");
        assertEquals(60, after.getInt("windowSeconds"), "window, refresh and engine stay configured");
        assertEquals("async", after.getString("engine"));
    }

    @Test
    void expensiveTracingCutsTheEffortAndBumpsTheVersion() {
        Windows.quiet("loop-hot", 0);
        control.stepAll(System.currentTimeMillis());
        JsonPath prior = policy("loop-hot");

        Windows.expensive("loop-hot", 60);
        control.stepAll(System.currentTimeMillis());

        JsonPath cut = policy("loop-hot");
        assertTrue(effort(cut) < effort(prior), "effort " + effort(prior) + " -> " + effort(cut));
        assertEquals(prior.getLong("version") + 1, cut.getLong("version"));
        given().when()
                .get("/v1/functions/loop-hot")
                .then()
                .statusCode(200)
                .body("control.inControl", equalTo("overhead"))
                .body("control.budgetLimited", equalTo(true))
                .body("policy.version", equalTo(cut.getInt("version")))
                .body("history", hasSize(2))
                .body("history[0].inControl", equalTo("prior"))
                .body("history[1].measurement.samples", equalTo(6000))
                .body("history[1].measurement.periodSeconds", equalTo(60.0f))
                .body("history[1].sampleRatio", equalTo(10.0f));
    }

    @Test
    void fewCheapSamplesRaiseTheEffort() {
        Windows.quiet("loop-cold", 0);
        control.stepAll(System.currentTimeMillis());
        JsonPath prior = policy("loop-cold");

        Windows.quiet("loop-cold", 60);
        control.stepAll(System.currentTimeMillis());

        JsonPath raised = policy("loop-cold");
        assertTrue(effort(raised) > effort(prior), "effort " + effort(prior) + " -> " + effort(raised));
        assertEquals(prior.getLong("version") + 1, raised.getLong("version"));
        given().when()
                .get("/v1/functions/loop-cold")
                .then()
                .statusCode(200)
                .body("control.inControl", equalTo("samples"))
                .body("control.budgetLimited", equalTo(false));
    }

    @Test
    void noNewReportsNoStep() {
        Windows.quiet("loop-still", 0);
        control.stepAll(System.currentTimeMillis());
        long version = policy("loop-still").getLong("version");

        control.stepAll(System.currentTimeMillis());

        assertEquals(version, policy("loop-still").getLong("version"));
        given().when().get("/v1/functions/loop-still").then().body("history", hasSize(1));
    }

    @Test
    void anIdleBatchKeepsThePolicy() {
        Windows.quiet("loop-idle", 0);
        control.stepAll(System.currentTimeMillis());
        Windows.quiet("loop-idle", 60);
        control.stepAll(System.currentTimeMillis());
        JsonPath active = policy("loop-idle");

        Windows.post("loop-idle", "h", 120, 0, 0, 0, 30, 0, 0);
        control.stepAll(System.currentTimeMillis());

        assertEquals(active.getDouble("fraction"), policy("loop-idle").getDouble("fraction"));
        assertEquals(active.getLong("version"), policy("loop-idle").getLong("version"));
        given().when()
                .get("/v1/functions/loop-idle")
                .then()
                .body("control.inControl", equalTo("idle"))
                .body("history[2].overhead", nullValue())
                .body("control.sampleRatio", equalTo(0.01f));
    }

    @Test
    void listAndDetailShowTheLawsFigures() {
        Windows.quiet("loop-shown", 0);
        given().when()
                .get("/v1/functions")
                .then()
                .statusCode(200)
                .body("find { it.function == 'loop-shown' }.fraction", nullValue())
                .body("find { it.function == 'loop-shown' }.inControl", nullValue());
        given().when()
                .get("/v1/functions/loop-shown")
                .then()
                .statusCode(200)
                .body("invocations", equalTo(100))
                .body("targets.source", equalTo("config"))
                .body("targets.maxOverhead", equalTo(0.01f))
                .body("policy.fraction", equalTo((float) Prior.FRACTION))
                .body("policy.version", equalTo(1))
                .body("control", nullValue())
                .body("history", hasSize(0));

        control.stepAll(System.currentTimeMillis());
        Windows.quiet("loop-shown", 60);
        control.stepAll(System.currentTimeMillis());

        JsonPath detail = given().when()
                .get("/v1/functions/loop-shown")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        JsonPath entry = JsonPath.from(given().when().get("/v1/functions").asString())
                .setRootPath("find { it.function == 'loop-shown' }");
        assertEquals(detail.getDouble("policy.fraction"), entry.getDouble("fraction"), 1e-9);
        assertEquals(detail.getInt("policy.frequencyHz"), entry.getInt("frequencyHz"));
        assertEquals(detail.getDouble("control.overhead"), entry.getDouble("overhead"), 1e-9);
        assertEquals(0.01, entry.getDouble("sampleRatio"), 1e-9, "6 samples where 600 were wanted");
        assertEquals("samples", entry.getString("inControl"));
        assertEquals(200, entry.getInt("invocations"), "the registry's totals are still there");
        assertTrue(detail.getLong("control.lastStepMillis") > 0);
        assertEquals(2, detail.getList("history").size());
    }

    private static JsonPath policy(String function) {
        return given().when()
                .get("/v1/policy/" + function)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static double effort(JsonPath policy) {
        return policy.getDouble("fraction") * policy.getInt("frequencyHz");
    }
}
