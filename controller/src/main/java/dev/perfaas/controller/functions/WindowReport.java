package dev.perfaas.controller.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What one function instance measured during one window, as its hook sends it. Unknown fields are
 * ignored so a newer hook can talk to this controller. Durations are nanoseconds; the *Measured
 * counts say how many invocations the matching total covers. Boxed fields are null from hooks that
 * predate them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowReport(
        String function,
        String instance,
        long windowStartMillis,
        long windowEndMillis,
        /** The sampling engine that ran: async, async-cpu, perf, jfr; off, or unavailable when every engine was refused. */
        String engine,
        /** Why engines were refused on this instance, by engine name (absent: none was). */
        Map<String, String> engineRefused,
        /**
         * CPU the hook spent loading its engine when the instance started (once per process, in its
         * first report): part of what tracing costs, kept apart from hookCpuNanos so the control
         * law does not extrapolate a one-off cost.
         */
        long engineLoadCpuNanos,
        long policyVersion,
        double fraction,
        int frequencyHz,
        long invocations,
        long traced,
        long errors,
        long wallNanos,
        long processCpuNanos,
        long hookCpuNanos,
        long perfCpuNanos,
        long tracedCpuNanos,
        long tracedMeasured,
        long controlCpuNanos,
        long controlMeasured,
        long allocatedBytes,
        long allocationMeasured,
        long samples,
        long samplesInTraced,
        ColdStart coldStart,
        /** Pairs [lowerBoundNanos, count]. */
        List<long[]> latencyBuckets,
        /**
         * The hook carries this window's samples into a later profile (cut once worth its perf cost):
         * samples counts none of this window's; a later report of this instance brings them.
         * Absent (false) from hooks that cut every window.
         */
        boolean samplesPending,
        /** Most invocations in flight at once on the instance during the window. */
        Long maxInFlight,
        /** Wall time of the invocations whose CPU tracedCpuNanos measured (as many: tracedMeasured). */
        Long tracedWallNanos,
        /** Wall time of the invocations whose CPU controlCpuNanos measured (as many: controlMeasured). */
        Long controlWallNanos,
        /** The traced invocations' latencies, in latencyBuckets' buckets: those minus these are the untraced. */
        List<long[]> tracedLatencyBuckets,
        /** The instance's memory in this window; absent from hooks before it. */
        Memory memory,
        /** The instance's cgroup at the window's end; sent by the node agent only. */
        Cgroup cgroup,
        /** The window's requests as the instance's of-watchdog counted them; the node agent's, where it reached one. */
        Watchdog watchdog) {

    /**
     * Set when the instance served its first invocation in this window: its latency, when it came
     * (JVM uptime), how long the runtime took to be ready, and which process in which container it
     * is (see ColdStartLedger).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ColdStart(
            long uptimeMillisAtFirstInvocation,
            long firstInvocationNanos,
            Long startToReadyMillis,
            String bootId,
            String hostname,
            String cgroup,
            Long pid,
            Long processStartMillis) {}

    /**
     * Bytes, each absent where the instance cannot read it: the heap live after the last GC (absent
     * before the first), the heap's maximum, non-heap committed (metaspace, code cache), and the
     * container's cgroup memory now, at its peak and its limit (absent: unlimited).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Memory(
            Long heapAfterGcBytes,
            Long heapMaxBytes,
            Long nonHeapBytes,
            Long containerBytes,
            Long containerPeakBytes,
            Long containerLimitBytes,
            /** Invocations whose allocation was measured with a tag: points were drawn from these. */
            long pointsSeen,
            /**
             * At most 64 pairs [tag, allocatedBytes], a uniform sample of those invocations: the tag
             * the handler set (X-Perfaas-Tag) or else the request body's size, and the bytes the
             * request thread allocated while the handler ran.
             */
            List<long[]> points) {}

    /**
     * The instance's cgroup as cAdvisor reads it, at the window's end: CPU since the cgroup was made
     * (cumulative: summed per instance into pod_cpu_usage_seconds_total), the memory working set
     * (usage less inactive file pages), the limit (absent: none) and the OOM kills so far (absent: the
     * kernel does not say).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cgroup(long cpuUsageNanos, long memoryWorkingSetBytes, Long memoryLimitBytes, Long oomKills) {}

    /**
     * The window's growth of the instance's of-watchdog counters (http_requests_total and
     * http_request_duration_seconds, over every code and method): requests, their summed latency,
     * and pairs [upperBoundNanos, count] of the watchdog's buckets (Prometheus's le, not cumulative,
     * empty ones left out; requests above the last bound are in requests alone).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Watchdog(long requests, long latencySumNanos, List<long[]> durationBuckets) {}
}
