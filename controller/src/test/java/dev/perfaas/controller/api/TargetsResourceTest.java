package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.loop.ControlService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TargetsResourceTest {

    static final String NARROW =
            "{\"maxOverhead\":0.02,\"samplesPerMinute\":300,\"minFrequencyHz\":19,\"maxFrequencyHz\":49,"
                    + "\"minFraction\":0.5}";

    @Inject
    ControlService control;

    @Test
    void configuredTargetsApplyUntilSomeoneSetsOthers() {
        given().when()
                .get("/v1/targets/tg-plain")
                .then()
                .statusCode(200)
                .body("function", equalTo("tg-plain"))
                .body("source", equalTo("config"))
                .body("maxOverhead", equalTo(0.01f))
                .body("samplesPerMinute", equalTo(600.0f))
                .body("minFrequencyHz", equalTo(19))
                .body("maxFrequencyHz", equalTo(997))
                .body("minFraction", equalTo(0.001f));
    }

    @Test
    void targetsBindThePolicyBeforeTheLoopHasSeenTheFunction() {
        put("tg-narrow", NARROW)
                .then()
                .statusCode(200)
                .body("function", equalTo("tg-narrow"))
                .body("source", equalTo("function"))
                .body("maxFrequencyHz", equalTo(49))
                .body("minFraction", equalTo(0.5f));

        given().when()
                .get("/v1/policy/tg-narrow")
                .then()
                .statusCode(200)
                .body("frequencyHz", lessThanOrEqualTo(49))
                .body("fraction", greaterThanOrEqualTo(0.5f));
        given().when().get("/v1/targets/tg-narrow").then().body("source", equalTo("function"));
        given().when()
                .get("/v1/targets")
                .then()
                .statusCode(200)
                .body("overrides.tg-narrow.maxFrequencyHz", equalTo(49))
                .body("configured.maxFrequencyHz", equalTo(997));
    }

    @Test
    void newTargetsClampAControlledPolicyAtOnce() {
        Windows.quiet("tg-ctl", 0);
        control.stepAll(System.currentTimeMillis());
        int version = given().when()
                .get("/v1/policy/tg-ctl")
                .then()
                .body("frequencyHz", equalTo(Prior.HZ))
                .extract()
                .path("version");

        put("tg-ctl", NARROW).then().statusCode(200);

        // async-profiler pays for its frequency while idle: the lowest rung of the new range.
        given().when()
                .get("/v1/policy/tg-ctl")
                .then()
                .body("frequencyHz", equalTo(19))
                .body("fraction", equalTo(0.5f))
                .body("version", equalTo(version + 1));
        given().when()
                .get("/v1/functions/tg-ctl")
                .then()
                .body("targets.source", equalTo("function"))
                .body("targets.maxFrequencyHz", equalTo(49))
                .body("policy.frequencyHz", equalTo(19));
    }

    @Test
    void badTargetsAreRefusedAndChangeNothing() {
        put("tg-bad", NARROW).then().statusCode(200);
        String good = NARROW;
        refused(good.replace("0.02", "\"NaN\""), "maxOverhead must be a number, got \"NaN\"");
        refused(good.replace("0.02", "-0.02"), "maxOverhead must be in (0, 0.5], was -0.02");
        refused(good.replace("0.02", "0.6"), "maxOverhead must be in (0, 0.5], was 0.6");
        refused(
                good.replace("300", "-300"),
                "samplesPerMinute must be a positive number at most 100000000," + " was -300.0");
        refused(
                good.replace("300", "1e308"),
                "samplesPerMinute must be a positive number at most 100000000," + " was 1.0E308");
        refused(good.replace(":49", ":100001"), "maxFrequencyHz must be at most 100000, was 100001");
        refused(good.replace(":19", ":199"), "minFrequencyHz (199) must not exceed maxFrequencyHz (49)");
        refused(good.replace("{", "{\"foo\":1,"), "unknown field \"foo\"");
        refused(good.replace(",\"minFraction\":0.5", ""), "minFraction is missing");
        refused("", "empty body");
        refused("{\"maxOverhead\":", "invalid JSON body");

        given().when()
                .get("/v1/targets/tg-bad")
                .then()
                .body("source", equalTo("function"))
                .body("maxOverhead", equalTo(0.02f))
                .body("maxFrequencyHz", equalTo(49));
        given().when().get("/v1/policy/tg-bad").then().body("frequencyHz", equalTo(19));
    }

    @Test
    void badNamesAreRefused() {
        put("!!!", NARROW).then().statusCode(400).body("error", containsString("function name \"!!!\" is not allowed"));
        put("_Default", NARROW).then().statusCode(400).body("error", containsString(SafeName.FUNCTION_RULE));
        given().when().get("/v1/targets").then().body("overrides", not(hasKey("_Default")));
    }

    @Test
    void deleteGoesBackToTheDefaults() {
        put("tg-gone", NARROW).then().statusCode(200);

        given().when()
                .delete("/v1/targets/tg-gone")
                .then()
                .statusCode(200)
                .body("source", equalTo("config"))
                .body("maxFrequencyHz", equalTo(997));

        given().when().get("/v1/targets/tg-gone").then().body("source", equalTo("config"));
        given().when()
                .get("/v1/policy/tg-gone")
                .then()
                .body("frequencyHz", equalTo(Prior.HZ))
                .body("fraction", equalTo((float) Prior.FRACTION));
        given().when().get("/v1/targets").then().body("overrides", not(hasKey("tg-gone")));
    }

    @Test
    void deletingTargetsNobodySetIs404() {
        given().when()
                .delete("/v1/targets/tg-never")
                .then()
                .statusCode(404)
                .body("error", equalTo("no targets set for \"tg-never\": it follows config targets"));
    }

    @Test
    void defaultTargetsHoldEveryFunctionWithoutItsOwn() {
        put("tg-own", NARROW.replace("0.5}", "0.25}")).then().statusCode(200);
        try {
            put("_default", NARROW)
                    .then()
                    .statusCode(200)
                    .body("function", equalTo("_default"))
                    .body("source", equalTo("_default"));

            given().when().get("/v1/targets/tg-any").then().body("source", equalTo("_default"));
            given().when()
                    .get("/v1/policy/tg-any")
                    .then()
                    .body("frequencyHz", equalTo(19))
                    .body("fraction", equalTo(0.5f));
            given().when()
                    .get("/v1/targets/tg-own")
                    .then()
                    .body("source", equalTo("function"))
                    .body("minFraction", equalTo(0.25f));
            given().when().get("/v1/targets").then().body("overrides._default.minFraction", equalTo(0.5f));
        } finally {
            given().when().delete("/v1/targets/_default").then().statusCode(200).body("source", equalTo("config"));
        }
        given().when().get("/v1/targets/tg-any").then().body("source", equalTo("config"));
        given().when().get("/v1/policy/tg-any").then().body("frequencyHz", equalTo(Prior.HZ));
    }

    private static Response put(String function, String body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/v1/targets/" + function);
    }

    private static void refused(String body, String problem) {
        put("tg-bad", body).then().statusCode(400).body("error", containsString(problem));
    }
}
