package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

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
        given().queryParam("instance", "host-1").when().get("/v1/policy/pol-default")
                .then().statusCode(200)
                .body("function", equalTo("pol-default"))
                .body("fraction", equalTo((float) Prior.FRACTION))
                .body("frequencyHz", equalTo(Prior.HZ))
                .body("windowSeconds", equalTo(60))
                .body("refreshSeconds", equalTo(10))
                .body("engine", equalTo("async"))
                .body("version", equalTo(1));
    }

    @Test
    void askingMarksTheInstanceAsSeen() {
        given().queryParam("instance", "host 7").when().get("/v1/policy/pol-seen").then().statusCode(200);
        given().when().get("/v1/policy/pol-seen").then().statusCode(200);
        given().when().get("/v1/functions/pol-seen")
                .then().statusCode(200)
                .body("instances", equalTo(2))
                .body("instancesLastSeen", hasKey("host_7"))
                .body("instancesLastSeen", hasKey("unknown"));
    }

    @Test
    void aPolicyPutByTheControlLoopIsAnswered() {
        book.put("pol-tuned", new Policy(0.25, 199, 30, 5, "perf", 2));
        given().when().get("/v1/policy/pol-tuned")
                .then().statusCode(200)
                .body("fraction", equalTo(0.25f))
                .body("frequencyHz", equalTo(199))
                .body("version", equalTo(2));
        given().when().get("/v1/policy/pol-untuned").then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void badFunctionNameIsRefused() {
        given().when().get("/v1/policy/!!!")
                .then().statusCode(400).body("error", containsString("has no usable characters"));
    }
}
