package dev.perfaas.controller.loop;

/**
 * One control step: what was measured, what the law concluded and the policy it published.
 * overhead and sampleRatio are null when the step had no data (idle) or set the prior.
 */
public record HistoryEntry(
        long timeMillis,
        MeasuredPeriod measurement,
        Double overhead,
        Double sampleRatio,
        double fraction,
        int frequencyHz,
        long version,
        String inControl,
        boolean budgetLimited) {}
