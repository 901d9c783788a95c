package dev.perfaas.controller.functions;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * A function's totals, when each instance was last heard from (epoch millis), the sampling engine
 * its last report says ran (and why others were refused), that last report, its cold starts and its
 * latency (null before a report), its memory sizing from the kept reports, its CPU, memory and OOM
 * kills from its instances' cgroups (null before the node agent sent one) and its CPU seconds per
 * invocation (null while no kept report counts invocations).
 */
public record FunctionDetail(
        @JsonUnwrapped FunctionSummary summary,
        Map<String, Long> instancesLastSeen,
        Engine engine,
        WindowReport lastReport,
        ColdStarts coldStarts,
        Latency latency,
        MemorySizing memory,
        CgroupTotals usage,
        Double cpuSecondsPerInvocation) {

    /** {@code running}: async, async-cpu, perf, jfr, off or unavailable; null before the first report. */
    public record Engine(String running, Map<String, String> refused) {
        public static Engine of(WindowReport last) {
            if (last == null) {
                return new Engine(null, Map.of());
            }
            return new Engine(last.engine(), last.engineRefused() == null ? Map.of() : last.engineRefused());
        }
    }
}
