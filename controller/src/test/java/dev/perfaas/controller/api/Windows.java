package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Posts 60 s window reports for the control loop's HTTP tests; CPU in milliseconds. */
final class Windows {

    private static final long MS = 1_000_000;

    private Windows() {}

    static void post(
            String function,
            String instance,
            long startSeconds,
            long invocations,
            long traced,
            long samples,
            long processMs,
            long hookMs,
            long perfMs) {
        String json = """
                {"function":"%s","instance":"%s","windowStartMillis":%d,"windowEndMillis":%d,
                 "engine":"async","policyVersion":1,"fraction":0.1,"frequencyHz":99,
                 "invocations":%d,"traced":%d,"processCpuNanos":%d,"hookCpuNanos":%d,"perfCpuNanos":%d,
                 "samples":%d}
                """.formatted(
                        function,
                        instance,
                        startSeconds * 1000,
                        (startSeconds + 60) * 1000,
                        invocations,
                        traced,
                        processMs * MS,
                        hookMs * MS,
                        perfMs * MS,
                        samples);
        given().contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
    }

    /** A minute of light traffic: 100 invocations, 1 s of CPU, nearly free tracing, few samples. */
    static void quiet(String function, long startSeconds) {
        post(function, "h", startSeconds, 100, 1, 6, 1000, 0, 0);
    }

    /** A minute where tracing cost 20 % of the function's CPU and took ten times the samples wanted. */
    static void expensive(String function, long startSeconds) {
        post(function, "h", startSeconds, 1000, 100, 6000, 10_000, 1000, 1000);
    }
}
