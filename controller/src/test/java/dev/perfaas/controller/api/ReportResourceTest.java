package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReportResourceTest {

    @TestHTTPResource("/")
    URI url;

    @Test
    void reportsFromTwoInstancesAddUp() {
        post(report("rep-sum", "host-1", 100, 10, 412))
                .then()
                .statusCode(202)
                .body("function", equalTo("rep-sum"))
                .body("instance", equalTo("host-1"))
                .body("sequence", greaterThan(0));
        post(report("rep-sum", "host-2", 50, 5, 200)).then().statusCode(202);

        given().when()
                .get("/v1/functions/rep-sum")
                .then()
                .statusCode(200)
                .body("instances", equalTo(2))
                .body("invocations", equalTo(150))
                .body("traced", equalTo(15))
                .body("samples", equalTo(612))
                .body("reports", equalTo(2))
                .body("lastReportMillis", notNullValue())
                .body("lastReport.instance", equalTo("host-2"))
                .body("lastReport.latencyBuckets[1][0]", equalTo(2048))
                .body("lastReport.coldStart.uptimeMillisAtFirstInvocation", equalTo(812));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String newer = report("rep-new", "host-1", 1, 1, 1)
                .replace("\"engine\":", "\"fromTheFuture\":{\"x\":[1,2]},\"engine\":")
                .replace("\"firstInvocationNanos\":", "\"alsoNew\":true,\"firstInvocationNanos\":");
        post(newer).then().statusCode(202);
        given().when().get("/v1/functions/rep-new").then().statusCode(200).body("reports", equalTo(1));
    }

    @Test
    void negativeCountsAreRefused() {
        post(report("rep-neg", "host-1", -1, 0, -5))
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("invalid window report: invocations must be in [0, 1000000000000], got -1;"
                                + " samples must be in [0, 1000000000000], got -5"));
        given().when().get("/v1/functions/rep-neg").then().statusCode(404);
    }

    @Test
    void absurdMemoryIsRefusedNamingTheFieldAndNothingIsStored() {
        String absurd = report("rep-mem", "host-1", 1, 0, 0)
                .replace(
                        "\"latencyBuckets\":",
                        "\"memory\":{\"containerLimitBytes\":-1,\"pointsSeen\":1,\"points\":[[10,1000]]},\"latencyBuckets\":");
        post(absurd)
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("invalid window report: memory.containerLimitBytes must be in [0, 70368744177664],"
                                + " got -1"));
        given().when().get("/v1/functions/rep-mem").then().statusCode(404);
    }

    @Test
    void theMemoryOfReportsIsSizedPerFunction() {
        for (int i = 1; i <= 8; i++) {
            post(report("rep-sized", "host-1", 1, 0, 0)
                            .replace(
                                    "\"latencyBuckets\":",
                                    "\"memory\":{\"heapMaxBytes\":536870912,\"pointsSeen\":1,\"points\":[[" + i * 1000
                                            + "," + (1_000_000 + i * 100_000) + "]]},\"latencyBuckets\":"))
                    .then()
                    .statusCode(202);
        }
        given().when()
                .get("/v1/functions/rep-sized")
                .then()
                .statusCode(200)
                .body("memory.fit.bytesPerUnit", equalTo(100.0f))
                .body("memory.points", equalTo(8))
                .body("memory.finding", equalTo("over-provisioned"))
                .body("memory.recommendation.limitBytes", greaterThan(0));
    }

    @Test
    void missingFunctionIsRefused() {
        post(report("rep-x", "host-1", 1, 0, 0).replace("\"function\":\"rep-x\",", ""))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid window report: function name is missing or blank"));
    }

    @Test
    void missingInstanceIsRefused() {
        post(report("rep-x", "host-1", 1, 0, 0).replace("\"instance\":\"host-1\",", ""))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid window report: instance name is missing or blank"));
    }

    @Test
    void windowEndingBeforeItStartsIsRefused() {
        post(report("rep-x", "host-1", 1, 0, 0).replace("1795440002000", "1795439941000"))
                .then()
                .statusCode(400)
                .body("error", containsString("windowEndMillis (1795439941000) is before windowStartMillis"));
    }

    @Test
    void malformedJsonIsRefusedWithTheParserMessage() {
        post("{\"function\":\"rep-x\",").then().statusCode(400).body("error", containsString("invalid JSON body"));
        post(report("rep-x", "host-1", 1, 0, 0).replace("\"traced\":0", "\"traced\":\"many\""))
                .then()
                .statusCode(400)
                .body("error", containsString("invalid JSON body (at traced)"));
    }

    @Test
    void emptyBodyIsRefused() {
        post("").then().statusCode(400).body("error", equalTo("empty body: expected one JSON window report"));
    }

    /** The endpoint runs on the event loop: a body that arrives in chunks is still read whole first. */
    @Test
    void chunkedBodyIsReadWhole() throws Exception {
        byte[] body = report("rep-chunked", "host-1", 7, 1, 3).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(url.resolve("/v1/reports"))
                                .header("Content-Type", "application/json")
                                // A publisher of unknown length: the client sends Transfer-Encoding: chunked.
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body) {
                                    @Override
                                    public synchronized int read(byte[] b, int off, int len) {
                                        return super.read(b, off, Math.min(len, 100)); // many small chunks
                                    }
                                }))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        given().when().get("/v1/functions/rep-chunked").then().statusCode(200).body("invocations", equalTo(7));
    }

    private static io.restassured.response.Response post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/v1/reports");
    }

    static String report(String function, String instance, long invocations, long traced, long samples) {
        return """
                {"function":"%s","instance":"%s","windowStartMillis":1795439942000,"windowEndMillis":1795440002000,
                 "engine":"async","engineRefused":{"perf":"perf_event_open denied"},"engineLoadCpuNanos":95000000,"policyVersion":1,"fraction":0.1,"frequencyHz":99,
                 "invocations":%d,"traced":%d,"errors":0,"wallNanos":123456789,
                 "processCpuNanos":900000000,"hookCpuNanos":120000,"perfCpuNanos":3000000,
                 "tracedCpuNanos":80000000,"tracedMeasured":10,"controlCpuNanos":75000000,"controlMeasured":10,
                 "allocatedBytes":1048576,"allocationMeasured":20,
                 "samples":%d,"samplesInTraced":%d,
                 "coldStart":{"uptimeMillisAtFirstInvocation":812,"firstInvocationNanos":43000000},
                 "latencyBuckets":[[1024,3],[2048,17]]}
                """.formatted(function, instance, invocations, traced, samples, Math.max(0, samples) / 2);
    }
}
