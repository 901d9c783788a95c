package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.perfaas.controller.policy.Policy;
import dev.perfaas.controller.policy.PolicyBook;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PolicyResourceTest {

    @Inject
    PolicyBook book;

    @Test
    void answersTheConfiguredDefaults() {
        given().queryParam("instance", "host-1")
                .when()
                .get("/v1/policy/pol-default")
                .then()
                .statusCode(200)
                .body("function", equalTo("pol-default"))
                .body("fraction", equalTo((float) Prior.FRACTION))
                .body("frequencyHz", equalTo(Prior.HZ))
                .body("windowSeconds", equalTo(60))
                .body("refreshSeconds", equalTo(10))
                .body("engine", equalTo("async"))
                .body("version", equalTo(1));
    }

    @Test
    void askingChangesNothing() {
        given().queryParam("instance", "host-7")
                .when()
                .get("/v1/policy/pol-seen")
                .then()
                .statusCode(200)
                .body("function", equalTo("pol-seen"))
                .body("version", equalTo(1));
        given().when().get("/v1/policy/pol-seen").then().statusCode(200);
        given().when().get("/v1/functions/pol-seen").then().statusCode(404);
        given().when().get("/v1/functions").then().statusCode(200).body("function", not(hasItem("pol-seen")));
    }

    @Test
    void aPolicyPutByTheControlLoopIsAnswered() {
        book.put("pol-tuned", new Policy(0.25, 199, 30, 5, "perf", 2));
        given().when()
                .get("/v1/policy/pol-tuned")
                .then()
                .statusCode(200)
                .body("fraction", equalTo(0.25f))
                .body("frequencyHz", equalTo(199))
                .body("version", equalTo(2));
        given().when().get("/v1/policy/pol-untuned").then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void badNamesAreRefused() {
        given().when()
                .get("/v1/policy/!!!")
                .then()
                .statusCode(400)
                .body("error", containsString("function name \"!!!\" is not allowed"));
        given().queryParam("instance", ".hidden")
                .when()
                .get("/v1/policy/pol-bad")
                .then()
                .statusCode(400)
                .body("error", containsString("instance name \".hidden\" is not allowed"));
    }
}
