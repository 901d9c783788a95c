package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Past each perfaas.limits.* setting: a 4xx naming the setting, nothing stored, a count in /q/metrics. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test fills the function limit
class LimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "perfaas.limits.functions",
                    "3",
                    "perfaas.limits.instances-per-function",
                    "2",
                    "perfaas.limits.reports-per-instance-per-minute",
                    "3",
                    "perfaas.max-upload-bytes",
                    "8192",
                    "perfaas.stacks-dir",
                    "target/test-stacks-limits");
        }
    }

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    @Order(1)
    void anInstancePastTheLimitIsRefused() {
        double before = Refused.count("instances_limit");
        report("lim-inst", "i-1").then().statusCode(202);
        report("lim-inst", "i-2").then().statusCode(202);

        report("lim-inst", "i-3")
                .then()
                .statusCode(409)
                .body(
                        "error",
                        equalTo(
                                "function \"lim-inst\" already has 2 instances heard from in the last 600 s,"
                                        + " the most perfaas.limits.instances-per-function allows: instance \"i-3\" is refused"));
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "i-3")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/lim-inst")
                .then()
                .statusCode(409)
                .body("error", containsString("perfaas.limits.instances-per-function"));

        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
        given().when()
                .get("/v1/functions/lim-inst")
                .then()
                .body("instances", equalTo(2))
                .body("reports", equalTo(2));
        assertEquals(before + 2, Refused.count("instances_limit"));
    }

    @Test
    @Order(2)
    void reportsPastTheRateGet429WithRetryAfter() {
        double before = Refused.count("report_rate");
        for (int i = 0; i < 3; i++) {
            report("lim-rate", "h").then().statusCode(202);
        }
        report("lim-rate", "h")
                .then()
                .statusCode(429)
                .header("Retry-After", equalTo("20"))
                .body(
                        "error",
                        equalTo("instance \"h\" of function \"lim-rate\" sends more than 3 reports a minute,"
                                + " the most perfaas.limits.reports-per-instance-per-minute allows"));
        report("lim-rate", "h2").then().statusCode(202);

        given().when().get("/v1/functions/lim-rate").then().body("reports", equalTo(4));
        assertEquals(before + 1, Refused.count("report_rate"));
    }

    @Test
    @Order(3)
    void aFunctionPastTheLimitIsRefused() {
        double before = Refused.count("functions_limit");
        report("lim-full", "h").then().statusCode(202);
        List<String> full = functions();
        assertEquals(3, full.size(), full.toString());

        report("lim-over", "h")
                .then()
                .statusCode(409)
                .body(
                        "error",
                        equalTo("the controller already holds 3 functions, the most perfaas.limits.functions"
                                + " allows: function \"lim-over\" is refused"));
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/lim-over")
                .then()
                .statusCode(409)
                .body("error", containsString("perfaas.limits.functions"));
        given().contentType("text/plain")
                .header("X-name", "lim-over")
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(409);
        // Reads need no room: the prior, and nothing remembered.
        given().when().get("/v1/policy/lim-over").then().statusCode(200).body("version", equalTo(1));

        assertEquals(full, functions());
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
        report("lim-full", "h").then().statusCode(202);
        assertEquals(before + 3, Refused.count("functions_limit"));
    }

    @Test
    @Order(4)
    void targetsForFunctionsPastTheLimitAreRefused() {
        for (String name : List.of("tg-1", "tg-2", "tg-3", "_default")) {
            put(name).statusCode(200);
        }
        put("tg-4")
                .statusCode(409)
                .body(
                        "error",
                        equalTo("targets are already set for 3 functions, the most"
                                + " perfaas.limits.functions allows: \"tg-4\" is refused"));
        put("tg-1").statusCode(200);
        given().when().get("/v1/targets/tg-4").then().body("source", equalTo("_default"));
    }

    /** Refused before routing, by the body limit: still tagged by route, so hostile paths add no series. */
    @Test
    @Order(5)
    void requestMetricsAreTaggedByRouteNotByPath() {
        for (String name : List.of("huge-1", "huge-2")) {
            given().contentType("text/plain")
                    .body(new byte[8193])
                    .when()
                    .post("/v1/profiles/" + name)
                    .then()
                    .statusCode(413);
        }
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("status=\"413\",uri=\"/v1/profiles/{function}\""), metrics);
        assertFalse(metrics.contains("huge-1"), metrics);
    }

    private static Response report(String function, String instance) {
        return given().contentType(ContentType.JSON)
                .body(ReportResourceTest.report(function, instance, 1, 0, 0))
                .when()
                .post("/v1/reports");
    }

    private static ValidatableResponse put(String name) {
        return given().contentType(ContentType.JSON)
                .body(TargetsResourceTest.NARROW)
                .pathParam("f", name)
                .when()
                .put("/v1/targets/{f}")
                .then();
    }

    private static List<String> functions() {
        return given().when().get("/v1/functions").then().extract().jsonPath().getList("function");
    }
}
