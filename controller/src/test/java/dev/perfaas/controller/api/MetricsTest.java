package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.loop.ControlService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-function meters on /q/metrics, read as Prometheus scrapes them. */
@QuarkusTest
class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    // The stacks directory outlives a test run, and its profiles are counted at startup: a name of this run's own.
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Inject
    ControlService control;

    @Test
    void aFunctionsTotalsStatusPolicyAndStorage() {
        String fn = "metrics-fn-" + RUN;
        Windows.quiet(fn, 0);
        control.stepAll(System.currentTimeMillis());
        Windows.expensive(fn, 60);
        control.stepAll(System.currentTimeMillis());
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "h")
                .header("X-Perfaas-Window", "1795439942000")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/" + fn)
                .then()
                .statusCode(201);

        Map<String, Double> m = function(scrape(), fn);

        assertEquals(1100, m.get("perfaas_function_invocations_total"), "100 + 1000 reported");
        assertEquals(101, m.get("perfaas_function_traced_total"));
        assertEquals(6006, m.get("perfaas_function_samples_total"));
        assertEquals(2, m.get("perfaas_function_reports_total"));
        assertEquals(1, m.get("perfaas_function_profiles_total"));
        assertEquals(1, m.get("perfaas_function_instances"));
        // The last step's window: hook 1 s + perf 1 s of tracer CPU over 10 s - 1 s of the function's own.
        assertEquals(2.0 / 9.0, m.get("perfaas_function_tracer_overhead_ratio"), 1e-12);
        assertEquals(10.0, m.get("perfaas_function_sample_ratio"), 1e-12, "6000 samples where 600 were wanted");
        assertEquals(1, m.get("perfaas_function_budget_limited"));
        JsonPath policy = given().when()
                .get("/v1/policy/" + fn)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(policy.getDouble("fraction"), m.get("perfaas_function_trace_fraction"), 1e-12);
        assertEquals(policy.getInt("frequencyHz"), m.get("perfaas_function_sampling_frequency_hertz"));
        assertEquals(Stacks.storedFixture(fn, "h").length, m.get("perfaas_stacks_bytes"));
        assertEquals(1, m.get("perfaas_stacks_files"));
    }

    @Test
    void coldStartsAreCountedOncePerProcess() {
        String fn = "metrics-cold-" + RUN;
        for (int pid : new int[] {7, 7, 8}) { // pid 7's report sent twice, as a hook may after a lost answer
            given().contentType(ContentType.JSON)
                    .body(
                            "{\"function\":\"" + fn + "\",\"instance\":\"i-1\","
                                    + "\"windowStartMillis\":1000,\"windowEndMillis\":61000,\"invocations\":1,\"coldStart\":"
                                    + "{\"uptimeMillisAtFirstInvocation\":800,\"firstInvocationNanos\":5000000,\"pid\":"
                                    + pid
                                    + ",\"processStartMillis\":1795439942000,\"bootId\":\"b\",\"hostname\":\"h\",\"cgroup\":\"/\"}}")
                    .when()
                    .post("/v1/reports")
                    .then()
                    .statusCode(202);
        }
        assertEquals(2, function(scrape(), fn).get("perfaas_function_coldstarts_total"));
    }

    @Test
    void latencyIsAHistogramSinceStartAndWarmQuantiles() {
        String fn = "metrics-latency-" + RUN;
        for (int i = 0; i < 2; i++) { // [786432, 917504) ns: under 1 ms; [4.2, 5.2) ms: under 10 ms; ~1 s: under 2.5 s
            given().contentType(ContentType.JSON)
                    .body("{\"function\":\"" + fn + "\",\"instance\":\"i-1\",\"windowStartMillis\":"
                            + (1000 + i * 60_000)
                            + ",\"windowEndMillis\":" + (61_000 + i * 60_000) + ",\"invocations\":6,"
                            + "\"wallNanos\":1000000000,\"latencyBuckets\":"
                            + "[[786432,3],[4194304,2],[939524096,1]]}")
                    .when()
                    .post("/v1/reports")
                    .then()
                    .statusCode(202);
        }

        String text = scrape();

        assertTrue(text.contains("# TYPE perfaas_function_invoke_duration_seconds histogram\n"), "a histogram");
        String labels = "function_name=\"" + fn + "\"";
        Map<String, Double> buckets = new HashMap<>();
        for (String le : new String[] {"0.001", "0.005", "0.01", "1.0", "2.5", "60.0", "+Inf"}) {
            buckets.put(
                    le,
                    samples(text, labels + ",le=\"" + le + "\"")
                            .get("perfaas_function_invoke_duration_seconds_bucket"));
        }
        assertEquals(
                Map.of("0.001", 6.0, "0.005", 6.0, "0.01", 10.0, "1.0", 10.0, "2.5", 12.0, "60.0", 12.0, "+Inf", 12.0),
                buckets);
        Map<String, Double> m = function(text, fn);
        assertEquals(12, m.get("perfaas_function_invoke_duration_seconds_count"));
        assertEquals(2.0, m.get("perfaas_function_invoke_duration_seconds_sum"), 1e-9);
        // The warm quantiles: at the buckets' midpoints (a cold start would be left out; these reports have none).
        Map<String, Double> p50 = samples(text, labels + ",quantile=\"0.5\"");
        assertEquals(0.00085, p50.get("perfaas_function_latency_seconds"), 0.00085 * 0.02);
        Map<String, Double> p999 = samples(text, labels + ",quantile=\"0.999\"");
        assertEquals(1.006, p999.get("perfaas_function_latency_seconds"), 1.006 * 0.02);
    }

    @Test
    void aFunctionBeforeItsFirstStep() {
        String fn = "metrics-new-" + RUN;
        Windows.quiet(fn, 0);

        Map<String, Double> m = function(scrape(), fn);

        assertEquals(100, m.get("perfaas_function_invocations_total"));
        assertEquals(0, m.get("perfaas_function_profiles_total"));
        assertTrue(m.get("perfaas_function_tracer_overhead_ratio").isNaN(), "no step, no measured overhead");
        assertTrue(m.get("perfaas_function_sample_ratio").isNaN());
        assertEquals(0, m.get("perfaas_function_budget_limited"));
        assertEquals(Prior.FRACTION, m.get("perfaas_function_trace_fraction"), 1e-12, "the prior hooks are served");
        assertEquals(Prior.HZ, m.get("perfaas_function_sampling_frequency_hertz"));
        assertEquals(0, m.get("perfaas_stacks_bytes"));
        assertEquals(0, m.get("perfaas_stacks_files"));
    }

    @Test
    void typesAndTheStorageAsAWhole() {
        Windows.quiet("metrics-types", 0);

        String text = scrape();

        for (String counter : new String[] {
            "perfaas_function_invocations_total",
            "perfaas_function_traced_total",
            "perfaas_function_samples_total",
            "perfaas_function_reports_total",
            "perfaas_function_profiles_total",
            "perfaas_stacks_evicted_files_total",
            "perfaas_stacks_evicted_bytes_total"
        }) {
            String family = counter.substring(0, counter.length() - "_total".length());
            assertTrue(
                    Pattern.compile("^# TYPE " + family + "(_total)? counter$", Pattern.MULTILINE)
                            .matcher(text)
                            .find(),
                    counter + " is a counter");
        }
        for (String gauge : new String[] {
            "perfaas_function_instances",
            "perfaas_function_tracer_overhead_ratio",
            "perfaas_function_sample_ratio",
            "perfaas_function_budget_limited",
            "perfaas_function_trace_fraction",
            "perfaas_function_sampling_frequency_hertz",
            "perfaas_stacks_bytes",
            "perfaas_stacks_files",
            "perfaas_stacks_full",
            "perfaas_stacks_usable_bytes"
        }) {
            assertTrue(text.contains("# TYPE " + gauge + " gauge\n"), gauge + " is a gauge");
        }
        Map<String, Double> global = samples(text, "");
        assertEquals(0, global.get("perfaas_stacks_full"));
        assertTrue(global.get("perfaas_stacks_usable_bytes") > 0);
        assertTrue(global.get("perfaas_stacks_evicted_files_total") >= 0);
        assertTrue(global.get("perfaas_stacks_evicted_bytes_total") >= 0);
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The perfaas_ samples labelled with {@code function} and nothing else, by name. */
    private static Map<String, Double> function(String text, String function) {
        return samples(text, "function_name=\"" + function + "\"");
    }

    /** The perfaas_ samples whose labels are exactly {@code labels} ("" for none), by name; each name once. */
    private static Map<String, Double> samples(String text, String labels) {
        Map<String, Double> found = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith("perfaas_") && labels.equals(m.group(2) == null ? "" : m.group(2))) {
                assertEquals(null, found.put(name, Double.parseDouble(m.group(3))), name + " twice");
            }
        }
        return found;
    }
}
