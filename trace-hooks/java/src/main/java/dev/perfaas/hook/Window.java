package dev.perfaas.hook;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one report window. The hot path adds to striped counters, one shared bucket of each
 * latency histogram and, rarely, the in-flight maximum; the window closer swaps in a fresh Window
 * and reads the old one, so no invocation waits on a report.
 */
final class Window {
    final long startMillis;
    final long startNanos = System.nanoTime();

    final LongAdder invocations = new LongAdder();
    final LongAdder traced = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder wallNanos = new LongAdder();
    final LongAdder tracedCpuNanos = new LongAdder();
    final LongAdder tracedWallNanos = new LongAdder();
    final LongAdder tracedMeasured = new LongAdder();
    final LongAdder controlCpuNanos = new LongAdder();
    final LongAdder controlWallNanos = new LongAdder();
    final LongAdder controlMeasured = new LongAdder();
    final LongAdder allocatedBytes = new LongAdder();
    final LongAdder allocationMeasured = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();
    /** Of the traced invocations alone, in the same buckets: all minus these are the untraced. */
    final LatencyHistogram tracedLatency = new LatencyHistogram();
    /** Most invocations in flight at once during the window (the mean follows from wallNanos). */
    private final AtomicLong maxInFlight = new AtomicLong();

    final MemoryPoints memoryPoints = new MemoryPoints();

    Window() {
        this(System.currentTimeMillis());
    }

    /** A window that started at the given wall-clock time: the protocol's golden report needs a fixed one. */
    Window(long startMillis) {
        this.startMillis = startMillis;
    }

    /** Set once, by the process's first invocation. */
    volatile ColdStart coldStart;

    /** {@code startToReadyMillis} is -1 when the runtime has not said it is ready. */
    record ColdStart(
            long uptimeMillisAtFirstInvocation,
            long firstInvocationNanos,
            long startToReadyMillis,
            InstanceIdentity identity) {}

    /** A plain read first: the compare-and-set runs only when the count climbs past the window's max. */
    void noteInFlight(long now) {
        long max = maxInFlight.get();
        while (now > max && !maxInFlight.compareAndSet(max, now)) {
            max = maxInFlight.get();
        }
    }

    /** What the hook knows about the window besides its counters, gathered when it closes. */
    record Closing(
            String function,
            String instance,
            long endMillis,
            Policy policy,
            String engine,
            Map<String, String> engineRefused,
            long engineLoadCpuNanos,
            long processCpuNanos,
            long hookCpuNanos,
            long perfCpuNanos,
            long samples,
            long samplesInTraced,
            boolean samplesPending,
            MemoryGauges.Reading memory) {}

    /** The window report of the protocol's {@code POST /v1/reports}. */
    String toReportJson(Closing c) {
        StringBuilder sb = new StringBuilder(512);
        sb.append('{');
        sb.append("\"function\":");
        Json.quote(sb, c.function());
        sb.append(",\"instance\":");
        Json.quote(sb, c.instance());
        sb.append(",\"windowStartMillis\":").append(startMillis);
        sb.append(",\"windowEndMillis\":").append(c.endMillis());
        sb.append(",\"engine\":");
        Json.quote(sb, c.engine());
        sb.append(",\"engineRefused\":{");
        String sep = "";
        for (Map.Entry<String, String> e : c.engineRefused().entrySet()) {
            sb.append(sep);
            Json.quote(sb, e.getKey());
            sb.append(':');
            Json.quote(sb, e.getValue());
            sep = ",";
        }
        sb.append('}');
        sb.append(",\"policyVersion\":").append(c.policy().version());
        sb.append(",\"fraction\":").append(c.policy().tracedFraction()); // as drawn: the control group's share left
        sb.append(",\"frequencyHz\":").append(c.policy().frequencyHz());
        // traced first: end() counts an invocation before it counts it traced, so traced <= invocations.
        long tracedSum = traced.sum();
        sb.append(",\"invocations\":").append(invocations.sum());
        sb.append(",\"traced\":").append(tracedSum);
        sb.append(",\"errors\":").append(errors.sum());
        sb.append(",\"wallNanos\":").append(wallNanos.sum());
        sb.append(",\"engineLoadCpuNanos\":").append(c.engineLoadCpuNanos());
        sb.append(",\"processCpuNanos\":").append(c.processCpuNanos());
        sb.append(",\"hookCpuNanos\":").append(c.hookCpuNanos());
        sb.append(",\"perfCpuNanos\":").append(c.perfCpuNanos());
        sb.append(",\"tracedCpuNanos\":").append(tracedCpuNanos.sum());
        sb.append(",\"tracedWallNanos\":").append(tracedWallNanos.sum());
        sb.append(",\"tracedMeasured\":").append(tracedMeasured.sum());
        sb.append(",\"controlCpuNanos\":").append(controlCpuNanos.sum());
        sb.append(",\"controlWallNanos\":").append(controlWallNanos.sum());
        sb.append(",\"controlMeasured\":").append(controlMeasured.sum());
        sb.append(",\"allocatedBytes\":").append(allocatedBytes.sum());
        sb.append(",\"allocationMeasured\":").append(allocationMeasured.sum());
        sb.append(",\"samples\":").append(c.samples());
        sb.append(",\"samplesInTraced\":").append(c.samplesInTraced());
        sb.append(",\"samplesPending\":").append(c.samplesPending());
        sb.append(",\"maxInFlight\":").append(maxInFlight.get());
        ColdStart cs = coldStart;
        sb.append(",\"coldStart\":");
        if (cs == null) {
            sb.append("null");
        } else {
            appendColdStart(sb, cs);
        }
        // Traced first, as the counts: an invocation is in latencyBuckets before it is in tracedLatencyBuckets.
        StringBuilder tracedJson = tracedLatency.appendJson(new StringBuilder());
        sb.append(",\"latencyBuckets\":");
        latency.appendJson(sb);
        sb.append(",\"tracedLatencyBuckets\":").append(tracedJson);
        appendMemory(sb, c.memory());
        return sb.append('}').toString();
    }

    private static void appendColdStart(StringBuilder sb, ColdStart cs) {
        InstanceIdentity id = cs.identity();
        sb.append("{\"uptimeMillisAtFirstInvocation\":")
                .append(cs.uptimeMillisAtFirstInvocation())
                .append(",\"firstInvocationNanos\":")
                .append(cs.firstInvocationNanos())
                .append(",\"startToReadyMillis\":");
        if (cs.startToReadyMillis() < 0) {
            sb.append("null");
        } else {
            sb.append(cs.startToReadyMillis());
        }
        sb.append(",\"bootId\":");
        Json.quote(sb, id.bootId());
        sb.append(",\"hostname\":");
        Json.quote(sb, id.hostname());
        sb.append(",\"cgroup\":");
        Json.quote(sb, id.cgroup());
        sb.append(",\"pid\":").append(id.pid());
        sb.append(",\"processStartMillis\":").append(id.processStartMillis()).append('}');
    }

    /** allocatedBytes above counts every measured invocation; the points only the tagged ones. */
    private void appendMemory(StringBuilder sb, MemoryGauges.Reading m) {
        sb.append(",\"memory\":{");
        bytes(sb, "heapAfterGcBytes", m.heapAfterGcBytes());
        bytes(sb, "heapMaxBytes", m.heapMaxBytes());
        bytes(sb, "nonHeapBytes", m.nonHeapBytes());
        bytes(sb, "containerBytes", m.containerBytes());
        bytes(sb, "containerPeakBytes", m.containerPeakBytes());
        bytes(sb, "containerLimitBytes", m.containerLimitBytes());
        memoryPoints.appendJson(sb);
        sb.append('}');
    }

    /** Absent figures are left out, not sent as -1. */
    private static void bytes(StringBuilder sb, String name, long value) {
        if (value >= 0) {
            sb.append('"').append(name).append("\":").append(value).append(',');
        }
    }
}
