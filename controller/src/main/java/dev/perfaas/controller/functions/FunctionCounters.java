package dev.perfaas.controller.functions;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the controller saves of a function's totals: reports, invocations, traced invocations,
 * samples and cold starts summed since it was first heard of, and when each instance was last heard
 * from (epoch millis). Profiles are not among them: they are counted on disk at startup. Saved by
 * a controller that predates cold-start counting, coldStarts reads 0.
 */
public record FunctionCounters(
        long invocations,
        long traced,
        long samples,
        long reports,
        long coldStarts,
        Map<String, Long> instancesLastSeen) {

    public FunctionCounters {
        instancesLastSeen = Collections.unmodifiableMap(new TreeMap<>(instancesLastSeen));
    }
}
