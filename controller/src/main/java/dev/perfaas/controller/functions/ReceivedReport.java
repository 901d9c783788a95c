package dev.perfaas.controller.functions;

/**
 * A window report as received: {@code sequence} grows by one per report across all functions, so a
 * reader can ask for what came after the last one it saw. {@code function} and {@code instance} are
 * the report's own names, checked valid (see SafeName); {@code report} is kept as the hook sent it.
 */
public record ReceivedReport(
        long sequence, long receivedMillis, String function, String instance, WindowReport report) {}
