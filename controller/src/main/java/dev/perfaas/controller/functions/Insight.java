package dev.perfaas.controller.functions;

/**
 * What a function's kept reports say beyond their totals: latency distributions and memory sizing.
 * Computing it takes milliseconds (histograms, a robust fit), so each record caches its last one
 * (see FunctionRecord#insight) for the detail, the policy's slow-call threshold and /q/metrics.
 */
public record Insight(Latency latency, MemorySizing memory) {

    /** The warm invocations' p99 over the kept reports, in ms, with how many it rests on; null before any. */
    public Double warmP99Millis() {
        if (latency == null || latency.pooled().warm().p99() == null) {
            return null;
        }
        return latency.pooled().warm().p99() / 1e6;
    }

    public long warmInvocations() {
        return latency == null ? 0 : latency.pooled().warm().count();
    }
}
