package dev.perfaas.controller.functions;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import java.util.ArrayList;
import java.util.List;

/** Refuses a window report the statistics could not trust, naming every problem at once. */
final class ReportCheck {

    private final List<String> problems = new ArrayList<>();

    private ReportCheck() {
    }

    static void validate(WindowReport r) {
        if (r == null) {
            throw ApiException.badRequest("empty body: expected one JSON window report");
        }
        ReportCheck check = new ReportCheck();
        check.name(() -> SafeName.function(r.function()));
        check.name(() -> SafeName.instance(r.instance()));
        check.counts(r);
        check.buckets(r);
        if (r.invocations() >= 0 && r.traced() > r.invocations()) {
            check.problems.add("traced (" + r.traced() + ") exceeds invocations (" + r.invocations() + ")");
        }
        if (r.windowEndMillis() < r.windowStartMillis()) {
            check.problems.add("windowEndMillis (" + r.windowEndMillis() + ") is before windowStartMillis ("
                    + r.windowStartMillis() + ")");
        }
        if (!check.problems.isEmpty()) {
            throw ApiException.badRequest("invalid window report: " + String.join("; ", check.problems));
        }
    }

    private void name(Runnable sanitize) {
        try {
            sanitize.run();
        } catch (ApiException e) {
            problems.add(e.getMessage());
        }
    }

    private void counts(WindowReport r) {
        nonNegative("windowStartMillis", r.windowStartMillis());
        nonNegative("invocations", r.invocations());
        nonNegative("traced", r.traced());
        nonNegative("errors", r.errors());
        nonNegative("wallNanos", r.wallNanos());
        nonNegative("processCpuNanos", r.processCpuNanos());
        nonNegative("hookCpuNanos", r.hookCpuNanos());
        nonNegative("perfCpuNanos", r.perfCpuNanos());
        nonNegative("tracedCpuNanos", r.tracedCpuNanos());
        nonNegative("tracedMeasured", r.tracedMeasured());
        nonNegative("controlCpuNanos", r.controlCpuNanos());
        nonNegative("controlMeasured", r.controlMeasured());
        nonNegative("allocatedBytes", r.allocatedBytes());
        nonNegative("allocationMeasured", r.allocationMeasured());
        nonNegative("samples", r.samples());
        nonNegative("samplesInTraced", r.samplesInTraced());
        if (r.coldStart() != null) {
            nonNegative("coldStart.uptimeMillisAtFirstInvocation", r.coldStart().uptimeMillisAtFirstInvocation());
            nonNegative("coldStart.firstInvocationNanos", r.coldStart().firstInvocationNanos());
        }
    }

    private void buckets(WindowReport r) {
        if (r.latencyBuckets() == null) {
            return;
        }
        for (int i = 0; i < r.latencyBuckets().size(); i++) {
            long[] pair = r.latencyBuckets().get(i);
            if (pair == null || pair.length != 2) {
                problems.add("latencyBuckets[" + i + "] must be a pair [lowerBoundNanos, count]");
            } else {
                nonNegative("latencyBuckets[" + i + "][0]", pair[0]);
                nonNegative("latencyBuckets[" + i + "][1]", pair[1]);
            }
        }
    }

    private void nonNegative(String field, long value) {
        if (value < 0) {
            problems.add(field + " must be >= 0, got " + value);
        }
    }
}
