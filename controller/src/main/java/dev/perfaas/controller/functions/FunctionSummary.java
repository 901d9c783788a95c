package dev.perfaas.controller.functions;

/** Totals for one function since the controller started; lastReportMillis is null before any report. */
public record FunctionSummary(String function, int instances, long invocations, long traced, long samples,
        long reports, long profiles, Long lastReportMillis) {
}
