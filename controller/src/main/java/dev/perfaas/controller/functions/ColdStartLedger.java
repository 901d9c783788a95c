package dev.perfaas.controller.functions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function's cold starts: counted once per instance process (see {@link ColdStarts.Instance#identity}),
 * the last {@code kept} remembered for their figures and to know a report sent again. The count is
 * saved with the function's counters; the remembered ones are not, so a report sent again across a
 * controller restart would count its cold start twice. Locked by its FunctionRecord.
 */
final class ColdStartLedger {
    private final Map<String, ColdStarts.Instance> kept;
    private long count;

    ColdStartLedger(int keep) {
        this.kept = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ColdStarts.Instance> eldest) {
                return size() > keep;
            }
        };
    }

    /** Counts the report's cold start, unless it was counted already. */
    void report(String instance, WindowReport report, long receivedMillis) {
        if (report.coldStart() == null) {
            return;
        }
        ColdStarts.Instance cold = ColdStarts.Instance.of(instance, report.coldStart(), receivedMillis);
        if (kept.putIfAbsent(cold.identity(), cold) == null) {
            count++;
        }
    }

    long count() {
        return count;
    }

    void restore(long saved) {
        count = FunctionRecord.saturated(count + saved);
    }

    /** Against {@code invocations}, the function's total. */
    ColdStarts view(long invocations) {
        return ColdStarts.of(count, invocations, kept.values());
    }
}
