package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.SafeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A report of a hook that predates cold-start identity, concurrency and traced latencies. */
    private static final String OLDER = """
            {"function":"pi","instance":"pi-6d9f7b8c4-x2x7z-1","windowStartMillis":1795439942000,
             "windowEndMillis":1795440002000,"engine":"async","engineRefused":{"perf":"perf_event_open denied"},
             "engineLoadCpuNanos":95000000,"policyVersion":3,"fraction":0.1,"frequencyHz":99,
             "invocations":100,"traced":10,"errors":1,"wallNanos":123456789,
             "processCpuNanos":900000000,"hookCpuNanos":120000,"perfCpuNanos":0,
             "tracedCpuNanos":80000000,"tracedMeasured":10,"controlCpuNanos":75000000,"controlMeasured":10,
             "allocatedBytes":1048576,"allocationMeasured":20,"samples":400,"samplesInTraced":380,
             "coldStart":{"uptimeMillisAtFirstInvocation":812,"firstInvocationNanos":43000000},
             "latencyBuckets":[[1024,3],[2048,97]]}
            """;

    private static final String COLD = "{\"uptimeMillisAtFirstInvocation\":812,\"firstInvocationNanos\":43000000,"
            + "\"startToReadyMillis\":640,\"bootId\":\"1a9ab660-0b1d-44f5-82d9-79d782b92ff2\",\"hostname\":\"pi-6d9f7b8c4-x2x7z\","
            + "\"cgroup\":\"/kubepods/pod1/c0\",\"pid\":1,\"processStartMillis\":1795439941000}";
    private static final String GOOD = OLDER.replace(
                    "{\"uptimeMillisAtFirstInvocation\":812,\"firstInvocationNanos\":43000000}", COLD)
            .replace(
                    "\"latencyBuckets\"",
                    "\"maxInFlight\":4,\"tracedWallNanos\":90000000,\"controlWallNanos\":80000000,"
                            + "\"tracedLatencyBuckets\":[[1024,1],[2048,9]],\"latencyBuckets\"");

    @Test
    void acceptsAnOlderHooksReport() {
        WindowReport older = read(OLDER);
        ReportCheck.validate(older);
        assertEquals(null, older.maxInFlight());
        assertEquals(null, older.coldStart().pid());
    }

    @Test
    void acceptsAHooksReport() {
        ReportCheck.validate(read(GOOD));
    }

    @Test
    void acceptsTheNodeAgentsReport() {
        WindowReport agent = read(GOOD.replace("\"engine\":\"async\"", "\"engine\":\"host-perf\""));
        ReportCheck.validate(agent);
        assertEquals("host-perf", agent.engine());
    }

    // Each row: a piece of the good report, what replaces it, the one problem named.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "fraction":0.1 | "fraction":"NaN" | fraction must be a number in [0, 1], got NaN
            "fraction":0.1 | "fraction":"Infinity" | fraction must be a number in [0, 1], got Infinity
            "fraction":0.1 | "fraction":5.0 | fraction must be a number in [0, 1], got 5.0
            "fraction":0.1 | "fraction":-0.1 | fraction must be a number in [0, 1], got -0.1
            "frequencyHz":99 | "frequencyHz":-99 | frequencyHz must be in [0, 100000], got -99
            "frequencyHz":99 | "frequencyHz":100001 | frequencyHz must be in [0, 100000], got 100001
            "policyVersion":3 | "policyVersion":-1 | policyVersion must be >= 0, got -1
            "invocations":100 | "invocations":9223372036854775000 | invocations must be in [0, 1000000000000], \
            got 9223372036854775000
            "errors":1 | "errors":-1 | errors must be in [0, 1000000000000], got -1
            "tracedMeasured":10 | "tracedMeasured":1000000000001 | tracedMeasured must be in [0, 1000000000000], \
            got 1000000000001
            "controlMeasured":10 | "controlMeasured":-1 | controlMeasured must be in [0, 1000000000000], got -1
            "allocationMeasured":20 | "allocationMeasured":-1 | allocationMeasured must be in [0, 1000000000000], got -1
            "wallNanos":123456789 | "wallNanos":-1 | wallNanos must be in [0, 1000000000000000], got -1
            "engineLoadCpuNanos":95000000 | "engineLoadCpuNanos":-1 | engineLoadCpuNanos must be in \
            [0, 1000000000000000], got -1
            "processCpuNanos":900000000 | "processCpuNanos":1000000000000001 | processCpuNanos must be in \
            [0, 1000000000000000], got 1000000000000001
            "hookCpuNanos":120000 | "hookCpuNanos":-1 | hookCpuNanos must be in [0, 1000000000000000], got -1
            "perfCpuNanos":0 | "perfCpuNanos":-1 | perfCpuNanos must be in [0, 1000000000000000], got -1
            "tracedCpuNanos":80000000 | "tracedCpuNanos":-1 | tracedCpuNanos must be in [0, 1000000000000000], got -1
            "controlCpuNanos":75000000 | "controlCpuNanos":-1 | controlCpuNanos must be in [0, 1000000000000000], got -1
            "allocatedBytes":1048576 | "allocatedBytes":-1 | allocatedBytes must be in [0, 1000000000000000], got -1
            "traced":10 | "traced":101 | traced (101) exceeds invocations (100)
            "samplesInTraced":380 | "samplesInTraced":401 | samplesInTraced (401) exceeds samples (400)
            "uptimeMillisAtFirstInvocation":812 | "uptimeMillisAtFirstInvocation":-1 | \
            coldStart.uptimeMillisAtFirstInvocation must be in [0, 1000000000000], got -1
            "firstInvocationNanos":43000000 | "firstInvocationNanos":-1 | \
            coldStart.firstInvocationNanos must be in [0, 1000000000000000], got -1
            "windowEndMillis":1795440002000 | "windowEndMillis":1795439941000 | \
            windowEndMillis (1795439941000) is before windowStartMillis (1795439942000)
            "windowEndMillis":1795440002000 | "windowEndMillis":1795526342001 | \
            the window from windowStartMillis to windowEndMillis must last at most 86400000 ms, got 86400001
            "windowStartMillis":1795439942000 | "windowStartMillis":-1 | \
            windowStartMillis must be in [0, 253402300799999], got -1
            "engine":"async" | "engine":"gdb" | engine "gdb" is none of async, async-cpu, perf, jfr, host-perf, off, unavailable
            "engineRefused":{"perf":"perf_event_open denied"} | "engineRefused":{"gdb":"x"} | \
            engineRefused key "gdb" is none of async, async-cpu, perf, jfr, host-perf
            "engineRefused":{"perf":"perf_event_open denied"} | "engineRefused":{"perf":null} | \
            engineRefused.perf must be a text of at most 2000 characters
            "engineRefused":{"perf":"perf_event_open denied"} | \
            "engineRefused":{"async":"a","async-cpu":"f","perf":"b","jfr":"c","host-perf":"d","x":"e"} | \
            engineRefused has 6 entries, at most one per engine: async, async-cpu, perf, jfr, host-perf
            [[1024,3],[2048,97]] | [[1024,3,4],[2048,97]] | latencyBuckets[0] must be a pair [lowerBoundNanos, count]
            [[1024,3],[2048,97]] | [[2048,3],[1024,97]] | \
            latencyBuckets[1][0] must be a bound >= 0 above the previous bucket's, got 1024
            [[1024,3],[2048,97]] | [[1024,3],[1024,97]] | \
            latencyBuckets[1][0] must be a bound >= 0 above the previous bucket's, got 1024
            [[1024,3],[2048,97]] | [[-1,3],[2048,97]] | \
            latencyBuckets[0][0] must be a bound >= 0 above the previous bucket's, got -1
            [[1024,3],[2048,97]] | [[1024,-3],[2048,97]] | latencyBuckets[0][1] must be in [0, 1000000000000], got -3
            [[1024,3],[2048,97]] | [[1024,1000000000000],[2048,1]] | \
            latencyBuckets counts sum to 1000000000001, at most 1000000000000
            [[1024,3],[2048,97]] | [[1024,3],[1000000000000001,97]] | \
            latencyBuckets[1][0] must be in [0, 1000000000000000], got 1000000000000001
            [[1024,1],[2048,9]] | [[1024,1],[2048,-9]] | tracedLatencyBuckets[1][1] must be in [0, 1000000000000], got -9
            [[1024,1],[2048,9]] | [[2048,1],[1024,9]] | \
            tracedLatencyBuckets[1][0] must be a bound >= 0 above the previous bucket's, got 1024
            "maxInFlight":4 | "maxInFlight":-1 | maxInFlight must be in [0, 1000000], got -1
            "maxInFlight":4 | "maxInFlight":1000001 | maxInFlight must be in [0, 1000000], got 1000001
            "tracedWallNanos":90000000 | "tracedWallNanos":-5 | tracedWallNanos must be in [0, 1000000000000000], got -5
            "controlWallNanos":80000000 | "controlWallNanos":1000000000000001 | \
            controlWallNanos must be in [0, 1000000000000000], got 1000000000000001
            "startToReadyMillis":640 | "startToReadyMillis":-640 | \
            coldStart.startToReadyMillis must be in [0, 1000000000000], got -640
            "pid":1, | "pid":0, | coldStart.pid must be in [1, 4194304], got 0
            "pid":1, | "pid":4194305, | coldStart.pid must be in [1, 4194304], got 4194305
            "processStartMillis":1795439941000 | "processStartMillis":-1 | \
            coldStart.processStartMillis must be in [0, 253402300799999], got -1
            "bootId":"1a9ab660-0b1d-44f5-82d9-79d782b92ff2" | "bootId":"" | \
            coldStart.bootId must be 1 to 256 characters without control characters
            "hostname":"pi-6d9f7b8c4-x2x7z" | "hostname":"pi\\u0007" | \
            coldStart.hostname must be 1 to 256 characters without control characters
            """)
    void refusesOneProblem(String replaced, String by, String problem) {
        ApiException e = refused(GOOD.replace(replaced, by));
        assertEquals("invalid window report: " + problem, e.getMessage());
        assertEquals(400, e.status());
        assertEquals(Refusal.INVALID_REPORT, e.reason());
    }

    @Test
    void acceptsEveryBound() {
        ReportCheck.validate(read(GOOD.replace("\"windowEndMillis\":1795440002000", "\"windowEndMillis\":1795526342000")
                .replace("\"fraction\":0.1", "\"fraction\":1")
                .replace("\"frequencyHz\":99", "\"frequencyHz\":100000")
                .replace("\"invocations\":100", "\"invocations\":1000000000000")
                .replace("\"traced\":10", "\"traced\":1000000000000")
                .replace("\"processCpuNanos\":900000000", "\"processCpuNanos\":1000000000000000")
                .replace("\"allocatedBytes\":1048576", "\"allocatedBytes\":1000000000000000")
                .replace("\"maxInFlight\":4", "\"maxInFlight\":1000000")
                .replace("\"pid\":1,", "\"pid\":4194304,")
                .replace("[[1024,3],[2048,97]]", "[[0,999999999999],[1000000000000000,1]]")));
        ReportCheck.validate(read(
                GOOD.replace("\"fraction\":0.1", "\"fraction\":0").replace("\"frequencyHz\":99", "\"frequencyHz\":0")));
    }

    @Test
    void acceptsAbsentOptionalParts() {
        ReportCheck.validate(read(GOOD.replace("\"engine\":\"async\"", "\"engine\":null")
                .replace("\"engineRefused\":{\"perf\":\"perf_event_open denied\"}", "\"engineRefused\":null")
                .replace(COLD, "null")
                .replace("[[1024,3],[2048,97]]", "null")
                .replace("[[1024,1],[2048,9]]", "null")));
        ReportCheck.validate(read(GOOD.replace("\"startToReadyMillis\":640", "\"startToReadyMillis\":null")
                .replace("\"cgroup\":\"/kubepods/pod1/c0\"", "\"cgroup\":null")));
    }

    @Test
    void refusesALongEngineRefusal() {
        String why = "x".repeat(ReportCheck.MAX_REFUSAL_LENGTH + 1);
        assertEquals(
                "invalid window report: engineRefused.perf must be a text of at most 2000 characters",
                refused(GOOD.replace("perf_event_open denied", why)).getMessage());
        ReportCheck.validate(read(GOOD.replace("perf_event_open denied", why.substring(1))));
    }

    @Test
    void refusesAnIdentityLongerThanTheHookSends() {
        String path = "/" + "c".repeat(ReportCheck.MAX_IDENTITY_LENGTH);
        assertEquals(
                "invalid window report: coldStart.cgroup must be 1 to 256 characters without control characters",
                refused(GOOD.replace("/kubepods/pod1/c0", path)).getMessage());
        ReportCheck.validate(read(GOOD.replace("/kubepods/pod1/c0", path.substring(1))));
    }

    @Test
    void refusesMoreBucketsThanAHistogramHas() {
        StringBuilder buckets = new StringBuilder("[");
        for (int i = 0; i <= ReportCheck.MAX_BUCKETS; i++) {
            buckets.append(i == 0 ? "" : ",").append('[').append(i).append(",1]");
        }
        assertEquals(
                "invalid window report: latencyBuckets has 257 buckets, at most 256",
                refused(GOOD.replace("[[1024,3],[2048,97]]", buckets.append(']').toString()))
                        .getMessage());
    }

    @Test
    void namesEveryBadFieldAtOnce() {
        ApiException e = refused(GOOD.replace("\"fraction\":0.1", "\"fraction\":\"NaN\"")
                .replace("\"frequencyHz\":99", "\"frequencyHz\":-99")
                .replace("\"instance\":\"pi-6d9f7b8c4-x2x7z-1\"", "\"instance\":\".hidden\""));
        assertEquals(
                "invalid window report: instance name \".hidden\" is not allowed: " + SafeName.INSTANCE_RULE
                        + "; fraction must be a number in [0, 1], got NaN; frequencyHz must be in [0, 100000], got -99",
                e.getMessage());
        assertEquals(Refusal.INVALID_REPORT, e.reason());
    }

    @Test
    void aReportRefusedOnlyForItsNamesCountsAsAnInvalidName() {
        ApiException e = refused(GOOD.replace("\"function\":\"pi\"", "\"function\":\"a\\tb\""));
        assertEquals(
                "invalid window report: function name \"a\\u0009b\" is not allowed: " + SafeName.FUNCTION_RULE,
                e.getMessage());
        assertEquals(Refusal.INVALID_NAME, e.reason());
    }

    @Test
    void refusesAnEmptyBody() {
        ApiException e = assertThrows(ApiException.class, () -> ReportCheck.validate(null));
        assertEquals("empty body: expected one JSON window report", e.getMessage());
    }

    private static ApiException refused(String json) {
        WindowReport report = read(json);
        return assertThrows(ApiException.class, () -> ReportCheck.validate(report));
    }

    private static WindowReport read(String json) {
        try {
            return JSON.readValue(json, WindowReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
