package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The node agent's cgroup and watchdog figures on the Prometheus endpoints, under OpenFaaS's paid
 * editions' names: instances summed, a counter that never goes down, the watchdog's requests in the
 * latency histogram and in CPU per invocation.
 */
@QuarkusTest
class CgroupMetricsTest {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-z_]+)\\{(.*?),?} (\\S+)$", Pattern.MULTILINE); // /metrics: {a="b",}
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Test
    void instancesAreSummedAndTheCounterNeverGoesDown() {
        String fn = "cg-sum-" + RUN;
        long now = System.currentTimeMillis();
        agent(fn, "a", now, 2_000_000_000L, 40_000_000, 0, null);
        agent(fn, "b", now, 3_000_000_000L, 60_000_000, 1, null);
        Map<String, Double> m = pod(scrape("/q/metrics"), fn);
        assertEquals(5.0, m.get("pod_cpu_usage_seconds_total"), 1e-9);
        assertEquals(100_000_000, m.get("pod_memory_working_set_bytes"));
        assertEquals(1, perfaas(scrape("/q/metrics"), fn).get("perfaas_function_oom_kills_total"));

        // Instance a's container made again under the same name: its counters start from 0.
        agent(fn, "a", now + 10_000, 500_000_000L, 30_000_000, 0, null);
        String text = scrape("/metrics");
        m = pod(text, fn);
        assertEquals(5.5, m.get("pod_cpu_usage_seconds_total"), 1e-9, "a's last 2 s kept, 0.5 s since");
        assertEquals(90_000_000, m.get("pod_memory_working_set_bytes"), "a's new working set replaces its old");
        assertEquals(1, perfaas(text, fn).get("perfaas_function_oom_kills_total"));
        assertTrue(text.contains("# TYPE pod_memory_working_set_bytes gauge\n"));
        assertTrue(Pattern.compile("^# TYPE pod_cpu_usage_seconds(_total)? counter$", Pattern.MULTILINE)
                .matcher(text)
                .find());

        given().when()
                .get("/v1/functions/" + fn)
                .then()
                .statusCode(200)
                .body("usage.liveInstances", org.hamcrest.Matchers.equalTo(2))
                .body("usage.oomKills", org.hamcrest.Matchers.equalTo(1))
                .body("usage.limitBytes", org.hamcrest.Matchers.equalTo(134217728));
    }

    @Test
    void theWatchdogsRequestsGiveCpuPerInvocationAndTheHistogram() {
        String fn = "cg-watchdog-" + RUN;
        long now = System.currentTimeMillis();
        // 0.9 s of the cgroup's CPU in the window over 300 requests: 3 ms each.
        agent(
                fn,
                "a",
                now,
                9_000_000_000L,
                1,
                0,
                "{\"requests\":300,\"latencySumNanos\":1500000000,"
                        + "\"durationBuckets\":[[5000000,200],[10000000,90]]}");
        String text = scrape("/q/metrics");
        assertEquals(0.003, perfaas(text, fn).get("perfaas_function_cpu_seconds_per_invocation"), 1e-12);
        String labels = "function_name=\"" + fn + "\"";
        assertEquals(200, value(text, "perfaas_function_invoke_duration_seconds_bucket", labels + ",le=\"0.005\""));
        assertEquals(290, value(text, "perfaas_function_invoke_duration_seconds_bucket", labels + ",le=\"0.01\""));
        assertEquals(
                300,
                value(text, "perfaas_function_invoke_duration_seconds_bucket", labels + ",le=\"+Inf\""),
                "10 above the watchdog's last bound");
        assertEquals(1.5, perfaas(text, fn).get("perfaas_function_invoke_duration_seconds_sum"), 1e-9);
    }

    @Test
    void aFunctionOutsideTheDefaultNamespaceIsLabelledWithItsOwn() {
        String fn = "cg-ns-" + RUN;
        long now = System.currentTimeMillis();
        agent(fn + ".staging", "a", now, 2_000_000_000L, 40_000_000, 0, null);
        agent(fn, "a", now, 3_000_000_000L, 60_000_000, 0, null);
        String text = scrape("/q/metrics");
        assertEquals(
                2.0,
                labelled(text, "function_name=\"" + fn + ".staging\",namespace=\"staging\"")
                        .get("pod_cpu_usage_seconds_total"),
                1e-9);
        assertEquals(3.0, pod(text, fn).get("pod_cpu_usage_seconds_total"), 1e-9, "the same name in the default one");
    }

    @Test
    void aHookFunctionHasCpuPerInvocationButNoPodSeries() {
        String fn = "cg-hook-" + RUN;
        Windows.quiet(fn, 0);
        String text = scrape("/q/metrics");
        assertFalse(text.contains("function_name=\"" + fn + "\",namespace"), "no cgroup figures from a hook");
        assertTrue(perfaas(text, fn).get("perfaas_function_cpu_seconds_per_invocation") > 0);
    }

    @Test
    void watchdogBucketsCountingMoreThanItsRequestsAreRefused() {
        given().contentType(ContentType.JSON)
                .body(report(
                        "cg-bad-" + RUN,
                        "a",
                        System.currentTimeMillis(),
                        1,
                        1,
                        0,
                        "{\"requests\":1,\"latencySumNanos\":1,\"durationBuckets\":[[5000000,2]]}"))
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(400)
                .body(containsString("more than watchdog.requests"));
    }

    /** A host-perf report ending now whose cgroup holds these; {@code watchdog} JSON or null. */
    private static void agent(
            String fn, String instance, long end, long cpuNanos, long workingSet, long oom, String watchdog) {
        given().contentType(ContentType.JSON)
                .body(report(fn, instance, end, cpuNanos, workingSet, oom, watchdog))
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
    }

    private static String report(
            String fn, String instance, long end, long cpuNanos, long workingSet, long oom, String watchdog) {
        return "{\"function\":\"" + fn + "\",\"instance\":\"" + instance + "\",\"windowStartMillis\":" + (end - 10_000)
                + ",\"windowEndMillis\":" + end + ",\"engine\":\"host-perf\",\"invocations\":100,"
                + "\"processCpuNanos\":900000000,\"cgroup\":{\"cpuUsageNanos\":" + cpuNanos
                + ",\"memoryWorkingSetBytes\":" + workingSet + ",\"memoryLimitBytes\":134217728,\"oomKills\":" + oom
                + "}" + (watchdog == null ? "" : ",\"watchdog\":" + watchdog) + "}";
    }

    private static String scrape(String path) {
        return given().when().get(path).then().statusCode(200).extract().asString();
    }

    private static Map<String, Double> pod(String text, String fn) {
        return labelled(text, "function_name=\"" + fn + "\",namespace=\"openfaas-fn\"");
    }

    private static Map<String, Double> perfaas(String text, String fn) {
        return labelled(text, "function_name=\"" + fn + "\"");
    }

    private static double value(String text, String name, String labels) {
        return labelled(text, labels).get(name);
    }

    private static Map<String, Double> labelled(String text, String labels) {
        Map<String, Double> found = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (labels.equals(m.group(2))) {
                assertEquals(null, found.put(m.group(1), Double.parseDouble(m.group(3))), m.group(1) + " twice");
            }
        }
        return found;
    }
}
