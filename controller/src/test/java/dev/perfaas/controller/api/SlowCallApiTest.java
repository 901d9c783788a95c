package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slow calls over HTTP: the threshold in the policy, the upload, its rate limit and the listing. */
@QuarkusTest
class SlowCallApiTest {

    private static final String WINDOW = "1795439942000"; // 2026-11-23T13:19:02Z

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    /** Every profile the test stored opens in FlameScope. */
    @AfterEach
    void flameScopeOpensWhatWasStored() {
        FlameScopeOracle.readAll(config.stacksDir());
    }

    private static ValidatableResponse upload(String function, String callId, String latency) {
        return given().contentType("text/plain")
                .header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", "pod-1")
                .header("X-Perfaas-Window", WINDOW)
                .header("X-Perfaas-Call-Id", callId)
                .header("X-Perfaas-Latency-Millis", latency)
                .header("X-Perfaas-Threshold-Millis", "250")
                .header("X-Perfaas-Call-Ended", "true")
                .body(Stacks.gzip(Stacks.fixture()))
                .when()
                .post("/v1/profiles/" + function + "/slow")
                .then();
    }

    @Test
    void theBurstIsStoredThenTheRateRefusesAndTheListingSaysWhatWasKept() throws IOException {
        for (int i = 1; i <= 3; i++) {
            upload("slowfn", "call-" + i, "61" + i + ".5")
                    .statusCode(201)
                    .body("path", startsWith("slowfn/slow/slowfn-pod-1-20261123T131902"))
                    .body("samples", equalTo(Stacks.FIXTURE_SAMPLES));
        }
        double refused = Refused.count("slow_call_rate");
        String retryAfter = upload("slowfn", "call-4", "700")
                .statusCode(429)
                .body("error", startsWith("function \"slowfn\" has had its 3 slow calls stored recently"))
                .extract()
                .header("Retry-After");
        assertTrue(
                Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 60,
                "a token a minute: " + retryAfter);
        assertEquals(refused + 1, Refused.count("slow_call_rate"));

        given().when()
                .get("/v1/profiles/slowfn/slow")
                .then()
                .statusCode(200)
                .body("", hasSize(3))
                .body("callId", equalTo(List.of("call-3", "call-2", "call-1")))
                .body("[0].latencyMillis", equalTo(613.5f))
                .body("[0].thresholdMillis", equalTo(250))
                .body("[0].ended", equalTo(true))
                .body("[0].instance", equalTo("pod-1"))
                .body("[0].startedAt", equalTo("2026-11-23T13:19:02Z"));
        given().when()
                .get("/v1/functions/slowfn")
                .then()
                .statusCode(200)
                .body("slowCalls", hasSize(3))
                .body("slowCalls[2].callId", equalTo("call-1"));

        // FlameScope reads the file: the controller's mark is a comment, the body follows unchanged.
        String path = given().when()
                .get("/v1/profiles/slowfn/slow?limit=1")
                .then()
                .extract()
                .path("[0].path");
        String stored = Files.readString(config.stacksDir().resolve(path));
        assertTrue(stored.startsWith("# perfaas slow call {\"instance\":\"pod-1\",\"callId\":\"call-3\""), stored);
        assertTrue(stored.endsWith(new String(Stacks.fixture(), StandardCharsets.UTF_8)));
    }

    @Test
    void badHeadersAreNamedAndNothingIsStored() {
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "pod-1")
                .header("X-Perfaas-Call-Id", "has space")
                .header("X-Perfaas-Latency-Millis", "1e300")
                .header("X-Perfaas-Threshold-Millis", "2.5")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/badslow/slow")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("slow call refused: X-Perfaas-Call-Id must be 1-128 printable ASCII characters"
                                + " without spaces; X-Perfaas-Latency-Millis must be a number in [0, 86400000], got \"1e300\";"
                                + " X-Perfaas-Threshold-Millis must be a whole number of ms >= 1"));
        given().when().get("/v1/profiles/badslow/slow").then().statusCode(200).body("", hasSize(0));
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void thePolicyServesTheOperatorsThresholdElseNoneUntilAP99() {
        given().when()
                .get("/v1/policy/thresholdfn")
                .then()
                .statusCode(200)
                .body("slowCallMillis", equalTo(0))
                .body("slowCallsPerMinute", equalTo(1))
                .body("slowCallBurst", equalTo(3));
        given().contentType(ContentType.JSON)
                .body("""
                {"maxOverhead":0.01,"samplesPerMinute":600,"minFrequencyHz":19,"maxFrequencyHz":997,
                 "minFraction":0.001,"slowCallMillis":300}""")
                .when()
                .put("/v1/targets/thresholdfn")
                .then()
                .statusCode(200);
        try {
            given().when().get("/v1/policy/thresholdfn").then().statusCode(200).body("slowCallMillis", equalTo(300));
        } finally {
            given().when().delete("/v1/targets/thresholdfn").then().statusCode(200);
        }
    }

    /** 300 warm invocations, 4 of them in the hook's bucket from 268 to 335 ms: the p99 is in it, above the 200 ms floor. */
    @Test
    void withoutATargetTheThresholdIsTheWarmP99() {
        given().contentType(ContentType.JSON)
                .body("""
                {"function":"p99fn","instance":"h","windowStartMillis":0,"windowEndMillis":60000,
                 "engine":"async","policyVersion":1,"fraction":0.1,"frequencyHz":99,
                 "invocations":300,"traced":0,"processCpuNanos":1,"hookCpuNanos":0,"perfCpuNanos":0,"samples":0,
                 "latencyBuckets":[[1048576,296],[268435456,4]]}""")
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
        int threshold = given().when()
                .get("/v1/policy/p99fn")
                .then()
                .statusCode(200)
                .extract()
                .path("slowCallMillis");
        assertTrue(threshold >= 268 && threshold <= 336, "p99 in [268, 336] ms: " + threshold);
        given().when()
                .get("/v1/functions/p99fn")
                .then()
                .statusCode(200)
                .body("slowCallThreshold.source", equalTo("p99 of warm invocations"));
    }
}
