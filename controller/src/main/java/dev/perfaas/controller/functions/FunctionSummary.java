package dev.perfaas.controller.functions;

/**
 * Totals for one function since it was first heard of (kept across restarts, see FunctionRegistry);
 * profiles counts the ones on disk at startup and those stored since; coldStartCount the instance
 * processes that served a first invocation (see ColdStartLedger).
 * lastReportMillis is null before the first report since the controller started.
 */
public record FunctionSummary(
        String function,
        int instances,
        long invocations,
        long traced,
        long samples,
        long reports,
        long profiles,
        long coldStartCount,
        Long lastReportMillis) {}
