package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an attacker-style run found the controller accepting: names that merged into other names,
 * reports with impossible numbers, targets without bounds. Each is refused with a 400 that names
 * the rule or field, stores nothing, and is counted in perfaas_refused_total.
 */
@QuarkusTest
class HostileInputTest {

    @Inject
    PerfaasConfig config;

    private List<String> functionsBefore;

    @BeforeEach
    void remember() {
        Stacks.clean(config.stacksDir());
        functionsBefore = functions();
    }

    @AfterEach
    void nothingStored() {
        assertEquals(functionsBefore, functions());
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    // Each used to be rewritten: the first three into "a_b", ".hidden" into "hidden".
    @ParameterizedTest
    @ValueSource(strings = {"a\tb", "a\0b", "a\nb", ".hidden", "Pi", "näme", "a_b", "a..b"})
    void functionNamesAgainstTheRuleAreRefusedWherever(String name) {
        double before = Refused.count("invalid_name");
        String rule = "is not allowed: " + SafeName.FUNCTION_RULE;
        report(name, "host-1").then().statusCode(400).body("error", containsString(rule));
        given().pathParam("f", name)
                .when()
                .get("/v1/policy/{f}")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
        given().contentType("text/plain")
                .pathParam("f", name)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/{f}")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
        given().contentType(ContentType.JSON)
                .pathParam("f", name)
                .body(TargetsResourceTest.NARROW)
                .when()
                .put("/v1/targets/{f}")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
        given().pathParam("f", name).when().get("/v1/functions/{f}").then().statusCode(400);
        assertEquals(before + 5, Refused.count("invalid_name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\tb", ".hidden", "-1", "pod a", "a:1", "ünï"})
    void instanceNamesAgainstTheRuleAreRefusedWherever(String name) {
        String rule = "is not allowed: " + SafeName.INSTANCE_RULE;
        report("hostile-inst", name).then().statusCode(400).body("error", containsString(rule));
        given().queryParam("instance", name)
                .when()
                .get("/v1/policy/hostile-inst")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", name)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/hostile-inst")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
        given().contentType("text/plain")
                .header("X-name", "hostile-inst")
                .header("X-Perfaas-Instance", name)
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", containsString(rule));
    }

    @Test
    void aSeedUploadNamedAgainstTheRuleIsRefused() {
        given().contentType("text/plain")
                .header("X-name", ".hidden")
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", equalTo("function name \".hidden\" is not allowed: " + SafeName.FUNCTION_RULE));
    }

    // The attacker's reports, each refused whole and naming its field.
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "fraction":0.1 | "fraction":"NaN" | fraction must be a number in [0, 1], got NaN
            "fraction":0.1 | "fraction":5.0 | fraction must be a number in [0, 1], got 5.0
            "frequencyHz":99 | "frequencyHz":-99 | frequencyHz must be in [0, 100000], got -99
            "invocations":100 | "invocations":9223372036854775000 | \
            invocations must be in [0, 1000000000000], got 9223372036854775000
            "engine":"async" | "engine":"x" | engine "x" is none of async, async-cpu, perf, jfr, host-perf, off, unavailable
            """)
    void reportsWithImpossibleNumbersAreRefused(String replaced, String by, String problem) {
        double before = Refused.count("invalid_report");
        post(ReportResourceTest.report("hostile-rep", "host-1", 100, 10, 40).replace(replaced, by))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid window report: " + problem));
        given().when().get("/v1/functions/hostile-rep").then().statusCode(404);
        assertEquals(before + 1, Refused.count("invalid_report"));
    }

    @Test
    void targetsBeyondTheirBoundsAreRefused() {
        double before = Refused.count("invalid_targets");
        given().contentType(ContentType.JSON)
                .body(TargetsResourceTest.NARROW.replace("300", "1e308"))
                .when()
                .put("/v1/targets/hostile-tg")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        containsString(
                                "samplesPerMinute must be a positive number at most 100000000," + " was 1.0E308"));
        given().when().get("/v1/targets/hostile-tg").then().body("source", equalTo("config"));
        assertEquals(before + 1, Refused.count("invalid_targets"));
    }

    @Test
    void malformedJsonIsCounted() {
        double before = Refused.count("invalid_json");
        post("{\"function\":").then().statusCode(400);
        assertEquals(before + 1, Refused.count("invalid_json"));
    }

    private static Response report(String function, String instance) {
        return post(ReportResourceTest.report("placeholder", "placeholder", 1, 0, 0)
                .replace("\"function\":\"placeholder\"", "\"function\":\"" + json(function) + "\"")
                .replace("\"instance\":\"placeholder\"", "\"instance\":\"" + json(instance) + "\""));
    }

    private static Response post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/v1/reports");
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\0", "\\u0000");
    }

    private static List<String> functions() {
        return given().when()
                .get("/v1/functions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("function");
    }
}
