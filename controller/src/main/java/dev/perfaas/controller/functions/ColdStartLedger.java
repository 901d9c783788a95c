package dev.perfaas.controller.functions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function's cold starts since the controller started: counted once per instance process (see
 * {@link ColdStarts.Instance#identity}), the last {@code kept} remembered for their figures and to
 * know a report sent again. Not saved: a restarted controller counts from zero, against the
 * invocations it hears of from then on. Locked by its FunctionRecord.
 */
final class ColdStartLedger {
    private final Map<String, ColdStarts.Instance> kept;
    private long count;
    private long invocations;

    ColdStartLedger(int keep) {
        this.kept = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ColdStarts.Instance> eldest) {
                return size() > keep;
            }
        };
    }

    /** Counts the report's invocations and its cold start, unless that cold start was counted already. */
    void report(String instance, WindowReport report, long receivedMillis) {
        invocations = FunctionRecord.saturated(invocations + report.invocations());
        if (report.coldStart() == null) return;
        ColdStarts.Instance cold = ColdStarts.Instance.of(instance, report.coldStart(), receivedMillis);
        if (kept.putIfAbsent(cold.identity(), cold) == null) count++;
    }

    long count() {
        return count;
    }

    ColdStarts view() {
        return ColdStarts.of(count, invocations, kept.values());
    }
}
