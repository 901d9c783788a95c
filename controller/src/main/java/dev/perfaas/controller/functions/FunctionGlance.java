package dev.perfaas.controller.functions;

/**
 * What GET /v1/functions shows of a function beyond its totals, cheap enough to list every function
 * every few seconds: its last report's window and engine, and the warm latency and memory finding
 * of its cached insight (at most FunctionRecord.INSIGHT_MAX_AGE_MILLIS behind the reports). Null
 * fields before the first report.
 */
public record FunctionGlance(
        LastWindow lastWindow, FunctionDetail.Engine engine, Percentiles warmLatency, Memory memory) {

    public static final FunctionGlance NONE = new FunctionGlance(null, FunctionDetail.Engine.of(null), null, null);

    /** The window of the last report: when, and how many invocations ended in it. */
    public record LastWindow(long windowStartMillis, long windowEndMillis, long invocations) {}

    /** The memory finding, and the limit recommended once there is one. */
    public record Memory(String finding, MemorySizing.Recommendation recommendation) {}

    static FunctionGlance of(WindowReport last, Insight insight) {
        return new FunctionGlance(
                new LastWindow(last.windowStartMillis(), last.windowEndMillis(), last.invocations()),
                FunctionDetail.Engine.of(last),
                insight.latency() == null ? null : insight.latency().pooled().warm(),
                new Memory(insight.memory().finding(), insight.memory().recommendation()));
    }
}
