package dev.perfaas.controller.functions;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/** A function's totals, when each instance was last heard from (epoch millis), and its last report. */
public record FunctionDetail(@JsonUnwrapped FunctionSummary summary, Map<String, Long> instancesLastSeen,
        WindowReport lastReport) {
}
