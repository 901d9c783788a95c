package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FunctionResourceTest {

    @Test
    void listsEveryFunctionSeen() {
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/fn-listed")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(ReportResourceTest.report("fn-reported", "h", 7, 1, 3))
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);

        given().when()
                .get("/v1/functions")
                .then()
                .statusCode(200)
                .body("function", hasItem("fn-listed"))
                .body("function", hasItem("fn-reported"))
                .body("find { it.function == 'fn-listed' }.reports", equalTo(0))
                .body("find { it.function == 'fn-listed' }.lastReportMillis", nullValue())
                .body("find { it.function == 'fn-reported' }.invocations", equalTo(7))
                .body("find { it.function == 'fn-reported' }.samples", equalTo(3));
    }

    @Test
    void theListGlancesAtEachFunctionWithoutItsDetail() {
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/fn-glance-none")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(ReportResourceTest.report("fn-glance", "h", 7, 1, 3))
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
        float ceiling = given().when()
                .get("/v1/targets/fn-glance")
                .then()
                .extract()
                .jsonPath()
                .getFloat("maxOverhead");

        String glance = "find { it.function == 'fn-glance' }.";
        String none = "find { it.function == 'fn-glance-none' }.";
        given().when()
                .get("/v1/functions")
                .then()
                .statusCode(200)
                .body(glance + "lastWindow.windowStartMillis", equalTo(1795439942000L))
                .body(glance + "lastWindow.windowEndMillis", equalTo(1795440002000L))
                .body(glance + "lastWindow.invocations", equalTo(7))
                .body(glance + "engine.running", equalTo("async"))
                .body(glance + "engine.refused.perf", equalTo("perf_event_open denied"))
                .body(glance + "warmLatency.count", equalTo(20))
                .body(glance + "warmLatency.p50", greaterThan(2048))
                .body(glance + "memory.finding", equalTo("not-enough-data"))
                .body(glance + "maxOverhead", equalTo(ceiling))
                .body(none + "lastWindow", nullValue())
                .body(none + "engine.running", nullValue())
                .body(none + "warmLatency", nullValue())
                .body(none + "memory", nullValue())
                .body(none + "maxOverhead", equalTo(ceiling));
    }

    @Test
    void showsOneFunctionWithItsLastReport() {
        given().contentType(ContentType.JSON)
                .body(ReportResourceTest.report("fn-one", "h", 7, 1, 3))
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
        given().when()
                .get("/v1/functions/fn-one")
                .then()
                .statusCode(200)
                .body("function", equalTo("fn-one"))
                .body("reports", equalTo(1))
                .body("lastReport.invocations", equalTo(7))
                .body("lastReport.engine", equalTo("async"))
                .body("engine.running", equalTo("async"))
                .body("engine.refused.perf", equalTo("perf_event_open denied"));
    }

    @Test
    void unknownFunctionIs404() {
        given().when()
                .get("/v1/functions/fn-never")
                .then()
                .statusCode(404)
                .body("error", containsString("unknown function \"fn-never\""));
    }
}
