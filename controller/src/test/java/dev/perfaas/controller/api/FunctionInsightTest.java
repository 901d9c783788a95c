package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** GET /v1/functions/{function}'s coldStarts and latency, from reports as a hook sends them. */
@QuarkusTest
class FunctionInsightTest {

    @Test
    void coldStartsAndLatencyOfAFunction() {
        // Two processes under one instance name (a restart), the first report sent twice, and a warm window.
        post(report("ins-fn", 100, 1, 2_200_000L)).then().statusCode(202);
        post(report("ins-fn", 100, 1, 2_200_000L)).then().statusCode(202);
        post(report("ins-fn", 100, 2, 2_500_000L)).then().statusCode(202);
        post(report("ins-fn", 100, 0, 0)).then().statusCode(202);

        given().when()
                .get("/v1/functions/ins-fn")
                .then()
                .statusCode(200)
                .body("coldStarts.count", equalTo(2))
                .body("coldStarts.invocations", equalTo(400))
                .body("coldStarts.rate", equalTo(0.005f))
                .body("coldStarts.latency.count", equalTo(2))
                .body("coldStarts.latency.max", allOf(greaterThanOrEqualTo(2_500_000), lessThanOrEqualTo(2_525_000)))
                .body("coldStarts.startToReadyMillis.median", equalTo(640))
                .body("coldStarts.timeToFirstInvocationMillis.max", equalTo(812))
                .body("coldStarts.latest[0].pid", equalTo(2))
                .body("coldStarts.latest[0].bootId", equalTo("1a9ab660-0b1d-44f5-82d9-79d782b92ff2"))
                .body("latency.pooled.reports", equalTo(4))
                .body("latency.pooled.all.count", equalTo(400))
                .body("latency.pooled.cold.count", equalTo(3)) // the resent report's too: its buckets count twice
                .body("latency.pooled.warm.count", equalTo(397))
                .body("latency.pooled.traced.count", equalTo(40))
                .body("latency.pooled.untraced.count", equalTo(360))
                // 90 % of the invocations in the bucket from 2^20 ns (midpoint 1,179,648), the rest from 2^21.
                .body("latency.pooled.all.p50", allOf(greaterThanOrEqualTo(1_179_648), lessThanOrEqualTo(1_192_000)))
                .body("latency.pooled.all.p99", allOf(greaterThanOrEqualTo(2_359_296), lessThanOrEqualTo(2_384_000)))
                .body("latency.pooled.onCpu.traced.onCpu", equalTo(0.8f))
                .body("latency.pooled.onCpu.untraced.onCpu", equalTo(0.25f))
                .body("latency.pooled.concurrency.maxInFlight", equalTo(4))
                .body("latency.pooled.concurrency.meanInFlight", equalTo(0.002f))
                .body("latency.window.reports", equalTo(1))
                .body("latency.window.cold.count", equalTo(0))
                .body("latency.window.cold.p50", nullValue());
    }

    @Test
    void anAbsurdLatencyOrColdStartIsRefusedNamingTheFieldAndNothingIsStored() {
        post(report("ins-bad", 100, 1, 2_200_000L)
                        .replace("\"firstInvocationNanos\":2200000", "\"firstInvocationNanos\":-2200000"))
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("invalid window report: coldStart.firstInvocationNanos must be in"
                                + " [0, 1000000000000000], got -2200000"));
        post(report("ins-bad", 100, 1, 2_200_000L)
                        .replace("[[1048576,90],[2097152,10]]", "[[1048576,90],[9000000000000000000,10]]"))
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("invalid window report: latencyBuckets[1][0] must be in [0, 1000000000000000],"
                                + " got 9000000000000000000"));
        post(report("ins-bad", 100, 1, 2_200_000L).replace("\"maxInFlight\":4", "\"maxInFlight\":-4"))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid window report: maxInFlight must be in [0, 1000000], got -4"));
        given().when().get("/v1/functions/ins-bad").then().statusCode(404);
    }

    private static io.restassured.response.Response post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/v1/reports");
    }

    /** 100 invocations in 60 s: 90 around 1 ms, 10 traced around 2 ms; a cold start of process {@code pid} unless 0. */
    private static String report(String function, long invocations, long pid, long firstInvocationNanos) {
        String cold = pid == 0 ? "null" : """
                {"uptimeMillisAtFirstInvocation":812,"firstInvocationNanos":%d,"startToReadyMillis":640,
                 "bootId":"1a9ab660-0b1d-44f5-82d9-79d782b92ff2","hostname":"ins-7d9f","cgroup":"/kubepods/pod1/c0",
                 "pid":%d,"processStartMillis":1795439941000}""".formatted(firstInvocationNanos, pid);
        return """
                {"function":"%s","instance":"ins-1","windowStartMillis":1795439942000,"windowEndMillis":1795440002000,
                 "engine":"async","policyVersion":1,"fraction":0.1,"frequencyHz":99,
                 "invocations":%d,"traced":10,"errors":0,"wallNanos":120000000,
                 "processCpuNanos":900000000,"hookCpuNanos":120000,"perfCpuNanos":0,
                 "tracedCpuNanos":16000000,"tracedWallNanos":20000000,"tracedMeasured":10,
                 "controlCpuNanos":2500000,"controlWallNanos":10000000,"controlMeasured":10,
                 "allocatedBytes":0,"allocationMeasured":0,"samples":0,"samplesInTraced":0,"maxInFlight":4,
                 "coldStart":%s,
                 "latencyBuckets":[[1048576,90],[2097152,10]],"tracedLatencyBuckets":[[2097152,10]]}
                """.formatted(function, invocations, cold);
    }
}
