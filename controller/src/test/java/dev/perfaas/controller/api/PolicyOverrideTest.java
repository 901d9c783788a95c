package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PolicyOverrideTest.Tuned.class)
class PolicyOverrideTest {

    public static class Tuned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "perfaas.law.prior-fraction",
                    "0.5",
                    "perfaas.law.prior-frequency-hz",
                    "49",
                    "perfaas.policy.window-seconds",
                    "30",
                    "perfaas.policy.refresh-seconds",
                    "5",
                    "perfaas.policy.engine",
                    "perf",
                    "perfaas.stacks-dir",
                    "target/test-stacks-policy");
        }
    }

    @Test
    void configurationSetsTheDefaultPolicy() {
        given().when()
                .get("/v1/policy/pi")
                .then()
                .statusCode(200)
                .body("fraction", equalTo(0.5f))
                .body("frequencyHz", equalTo(49))
                .body("windowSeconds", equalTo(30))
                .body("refreshSeconds", equalTo(5))
                .body("engine", equalTo("perf"))
                .body("version", equalTo(1));
    }
}
