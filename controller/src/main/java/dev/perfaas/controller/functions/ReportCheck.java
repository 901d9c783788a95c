package dev.perfaas.controller.functions;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses a window report the statistics could not trust, naming every bad field at once. Every
 * number has a range: the ceilings lie far above what one instance does in a window, and far enough
 * below Long.MAX_VALUE that the loop's sums over a batch (at most FunctionRegistry.KEPT_REPORTS
 * reports) cannot overflow; the registry's lifetime totals saturate besides.
 */
final class ReportCheck {

    /**
     * Ceiling of every count in one window (invocations, samples, ...): 10^12 is thousands of times
     * what an instance serving 100,000 requests a second does in the longest window, and 9.2 million
     * such reports fit in a long.
     */
    static final long MAX_COUNT = 1_000_000_000_000L;
    /**
     * Ceiling of every duration in one window: 10^15 ns is 11.6 days, the CPU of 256 cores through a
     * whole hour, or a second of wall time for each of a million invocations; 100 such reports still
     * sum to 1 % of a long.
     */
    static final long MAX_NANOS = 1_000_000_000_000_000L;
    /** Allocation in one window: 10^15 bytes (a petabyte) is ten days at 1 GB/s. */
    static final long MAX_BYTES = 1_000_000_000_000_000L;
    /** A window is windowSeconds long (60 s by default); a day leaves room for a hook held up that long. */
    static final long MAX_WINDOW_MILLIS = 24 * 3600 * 1000L;
    /** Times are epoch millis of a four-digit year, as profile file names need. */
    static final long LAST_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    /** JVM uptime at the first invocation: 10^12 ms is 31 years. */
    static final long MAX_UPTIME_MILLIS = 1_000_000_000_000L;
    /**
     * What a report's engine field says: a hook's sampling engine, off, or unavailable (every engine
     * refused); or host-perf, the node agent sampling a function's cgroup from the host (trace-hooks/host).
     */
    static final List<String> ENGINES;
    /** engineRefused is keyed by the sampling engines a hook tries (a policy's), or host-perf (the agent's perf, refused). */
    static final List<String> SAMPLING_ENGINES;

    static {
        List<String> sampling = new ArrayList<>(Policy.ENGINES);
        sampling.add("host-perf");
        SAMPLING_ENGINES = List.copyOf(sampling);
        sampling.addAll(List.of("off", "unavailable"));
        ENGINES = List.copyOf(sampling);
    }
    /** A refusal is an exception message; 2,000 characters hold a long one with its path. */
    static final int MAX_REFUSAL_LENGTH = 2_000;
    /** Any memory figure: 64 TiB is above the largest machines' RAM. */
    static final long MAX_MEMORY_BYTES = 1L << 46;
    /** The hook sends at most 64 (tag, bytes) points a window. */
    static final int MAX_MEMORY_POINTS = 64;
    /** A tag is a count the handler chose (lines, items) or a body size: 10^15 of anything is absurd. */
    static final long MAX_TAG = 1_000_000_000_000_000L;
    /** The hook's histogram has 248 buckets (four per power of two of nanoseconds). */
    static final int MAX_BUCKETS = 256;
    /**
     * Invocations in flight at once on one instance: a million is far past the threads a JVM runs
     * (platform threads by the thousand), yet leaves room for virtual threads.
     */
    static final long MAX_IN_FLIGHT = 1_000_000;
    /**
     * A cgroup's CPU since it was made: 10^18 ns is 31 years of 1,000 cores, and the sums over an
     * instance limit's worth saturate.
     */
    static final long MAX_CUMULATIVE_NANOS = 1_000_000_000_000_000_000L;
    /** Linux's pid_max can be raised to 2^22 at most. */
    static final long MAX_PID = 1L << 22;
    /** Boot id (a UUID), hostname (253 characters in DNS) and cgroup path: the hook cuts them at 256. */
    static final int MAX_IDENTITY_LENGTH = 256;

    private static final int SHOWN_LENGTH = 40;

    private final List<String> problems = new ArrayList<>();
    private int nameProblems;

    private ReportCheck() {}

    static void validate(WindowReport r) {
        if (r == null) {
            throw ApiException.badRequest(Refusal.INVALID_REPORT, "empty body: expected one JSON window report");
        }
        ReportCheck check = new ReportCheck();
        check.name(() -> SafeName.function(r.function()));
        check.name(() -> SafeName.instance(r.instance()));
        check.window(r);
        check.sampling(r);
        check.counts(r);
        check.coldStart(r.coldStart());
        check.buckets("latencyBuckets", "lowerBoundNanos", r.latencyBuckets());
        check.buckets("tracedLatencyBuckets", "lowerBoundNanos", r.tracedLatencyBuckets());
        check.memory(r.memory());
        check.cgroup(r.cgroup());
        check.watchdog(r.watchdog());
        if (!check.problems.isEmpty()) {
            Refusal reason =
                    check.nameProblems == check.problems.size() ? Refusal.INVALID_NAME : Refusal.INVALID_REPORT;
            throw ApiException.badRequest(reason, "invalid window report: " + String.join("; ", check.problems));
        }
    }

    private void name(Runnable check) {
        try {
            check.run();
        } catch (ApiException e) {
            problems.add(e.getMessage());
            nameProblems++;
        }
    }

    private void window(WindowReport r) {
        range("windowStartMillis", r.windowStartMillis(), 0, LAST_MILLIS);
        if (r.windowEndMillis() < r.windowStartMillis()) {
            problems.add("windowEndMillis (" + r.windowEndMillis() + ") is before windowStartMillis ("
                    + r.windowStartMillis() + ")");
        } else if (r.windowStartMillis() >= 0 && r.windowEndMillis() - r.windowStartMillis() > MAX_WINDOW_MILLIS) {
            problems.add("the window from windowStartMillis to windowEndMillis must last at most " + MAX_WINDOW_MILLIS
                    + " ms, got " + (r.windowEndMillis() - r.windowStartMillis()));
        }
    }

    private void sampling(WindowReport r) {
        if (r.engine() != null && !ENGINES.contains(r.engine())) {
            problems.add("engine " + shown(r.engine()) + " is none of " + String.join(", ", ENGINES));
        }
        Map<String, String> refused = r.engineRefused();
        if (refused != null && refused.size() > SAMPLING_ENGINES.size()) {
            problems.add("engineRefused has " + refused.size() + " entries, at most one per engine: "
                    + String.join(", ", SAMPLING_ENGINES));
        } else if (refused != null) {
            refused.forEach((engine, why) -> {
                if (!SAMPLING_ENGINES.contains(engine)) {
                    problems.add("engineRefused key " + shown(engine) + " is none of "
                            + String.join(", ", SAMPLING_ENGINES));
                } else if (why == null || why.length() > MAX_REFUSAL_LENGTH) {
                    problems.add("engineRefused." + engine + " must be a text of at most " + MAX_REFUSAL_LENGTH
                            + " characters");
                }
            });
        }
        if (r.policyVersion() < 0) {
            problems.add("policyVersion must be >= 0, got " + r.policyVersion());
        }
        if (!(r.fraction() >= 0 && r.fraction() <= 1)) { // NaN fails both
            problems.add("fraction must be a number in [0, 1], got " + r.fraction());
        }
        range("frequencyHz", r.frequencyHz(), 0, Targets.MAX_FREQUENCY_HZ);
    }

    private void counts(WindowReport r) {
        range("invocations", r.invocations(), 0, MAX_COUNT);
        range("traced", r.traced(), 0, MAX_COUNT);
        range("errors", r.errors(), 0, MAX_COUNT);
        range("tracedMeasured", r.tracedMeasured(), 0, MAX_COUNT);
        range("controlMeasured", r.controlMeasured(), 0, MAX_COUNT);
        range("allocationMeasured", r.allocationMeasured(), 0, MAX_COUNT);
        range("samples", r.samples(), 0, MAX_COUNT);
        range("samplesInTraced", r.samplesInTraced(), 0, MAX_COUNT);
        range("wallNanos", r.wallNanos(), 0, MAX_NANOS);
        range("engineLoadCpuNanos", r.engineLoadCpuNanos(), 0, MAX_NANOS);
        range("processCpuNanos", r.processCpuNanos(), 0, MAX_NANOS);
        range("hookCpuNanos", r.hookCpuNanos(), 0, MAX_NANOS);
        range("perfCpuNanos", r.perfCpuNanos(), 0, MAX_NANOS);
        range("tracedCpuNanos", r.tracedCpuNanos(), 0, MAX_NANOS);
        range("controlCpuNanos", r.controlCpuNanos(), 0, MAX_NANOS);
        range("allocatedBytes", r.allocatedBytes(), 0, MAX_BYTES);
        range("maxInFlight", r.maxInFlight(), 0, MAX_IN_FLIGHT);
        range("tracedWallNanos", r.tracedWallNanos(), 0, MAX_NANOS);
        range("controlWallNanos", r.controlWallNanos(), 0, MAX_NANOS);
        if (r.invocations() >= 0 && r.traced() > r.invocations()) {
            problems.add("traced (" + r.traced() + ") exceeds invocations (" + r.invocations() + ")");
        }
        if (r.samples() >= 0 && r.samplesInTraced() > r.samples()) {
            problems.add("samplesInTraced (" + r.samplesInTraced() + ") exceeds samples (" + r.samples() + ")");
        }
    }

    /** The first invocation's figures, and the identity of the instance's process and container. */
    private void coldStart(WindowReport.ColdStart c) {
        if (c == null) {
            return;
        }
        range("coldStart.uptimeMillisAtFirstInvocation", c.uptimeMillisAtFirstInvocation(), 0, MAX_UPTIME_MILLIS);
        range("coldStart.firstInvocationNanos", c.firstInvocationNanos(), 0, MAX_NANOS);
        range("coldStart.startToReadyMillis", c.startToReadyMillis(), 0, MAX_UPTIME_MILLIS);
        range("coldStart.pid", c.pid(), 1, MAX_PID);
        range("coldStart.processStartMillis", c.processStartMillis(), 0, LAST_MILLIS);
        identity("coldStart.bootId", c.bootId());
        identity("coldStart.hostname", c.hostname());
        identity("coldStart.cgroup", c.cgroup());
    }

    private void identity(String field, String value) {
        if (value != null
                && (value.isEmpty()
                        || value.length() > MAX_IDENTITY_LENGTH
                        || value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
            problems.add(field + " must be 1 to " + MAX_IDENTITY_LENGTH + " characters without control characters");
        }
    }

    /**
     * Each bucket once, in ascending order, its bound at most MAX_NANOS, its count in range, the counts
     * summing within range. Not checked against invocations: the hook reads the histogram a moment
     * after the invocation count, so an invocation ending in between is in one and not the other.
     */
    /** The buckets' summed count; -1 when they are refused. */
    private long buckets(String field, String bound, List<long[]> buckets) {
        if (buckets == null) {
            return 0;
        }
        if (buckets.size() > MAX_BUCKETS) {
            problems.add(field + " has " + buckets.size() + " buckets, at most " + MAX_BUCKETS);
            return -1;
        }
        long previousBound = -1;
        long total = 0;
        // Stops at the first bad bucket: the answer stays short whatever the body holds.
        for (int i = 0; i < buckets.size(); i++) {
            long[] pair = buckets.get(i);
            String at = field + "[" + i + "]";
            if (pair == null || pair.length != 2) {
                problems.add(at + " must be a pair [" + bound + ", count]");
                return -1;
            }
            if (pair[0] <= previousBound) { // previousBound starts at -1: the first bound must be >= 0
                problems.add(at + "[0] must be a bound >= 0 above the previous bucket's, got " + pair[0]);
                return -1;
            }
            if (pair[0] > MAX_NANOS) {
                range(at + "[0]", pair[0], 0, MAX_NANOS);
                return -1;
            }
            if (pair[1] < 0 || pair[1] > MAX_COUNT) {
                range(at + "[1]", pair[1], 0, MAX_COUNT);
                return -1;
            }
            previousBound = pair[0];
            total += pair[1]; // at most 256 x 10^12: no overflow
        }
        if (total > MAX_COUNT) {
            problems.add(field + " counts sum to " + total + ", at most " + MAX_COUNT);
            return -1;
        }
        return total;
    }

    /** The node agent's: counters since the cgroup was made, so a cumulative ceiling. */
    private void cgroup(WindowReport.Cgroup c) {
        if (c == null) {
            return;
        }
        range("cgroup.cpuUsageNanos", c.cpuUsageNanos(), 0, MAX_CUMULATIVE_NANOS);
        range("cgroup.memoryWorkingSetBytes", c.memoryWorkingSetBytes(), 0, MAX_MEMORY_BYTES);
        optional("cgroup.memoryLimitBytes", c.memoryLimitBytes());
        range("cgroup.oomKills", c.oomKills(), 0, MAX_COUNT);
    }

    private void watchdog(WindowReport.Watchdog w) {
        if (w == null) {
            return;
        }
        range("watchdog.requests", w.requests(), 0, MAX_COUNT);
        range("watchdog.latencySumNanos", w.latencySumNanos(), 0, MAX_NANOS);
        long bucketed = buckets("watchdog.durationBuckets", "upperBoundNanos", w.durationBuckets());
        if (bucketed > w.requests()) {
            problems.add("watchdog.durationBuckets count " + bucketed + " requests, more than watchdog.requests ("
                    + w.requests() + ")");
        }
    }

    /** A null value is a field the hook predates: nothing to check. */
    private void range(String field, Long value, long min, long max) {
        if (value != null) {
            range(field, value.longValue(), min, max);
        }
    }

    /** Absent from older hooks, as is each figure an instance cannot read; what is there must be plausible. */
    private void memory(WindowReport.Memory m) {
        if (m == null) {
            return;
        }
        optional("memory.heapAfterGcBytes", m.heapAfterGcBytes());
        optional("memory.heapMaxBytes", m.heapMaxBytes());
        optional("memory.nonHeapBytes", m.nonHeapBytes());
        optional("memory.containerBytes", m.containerBytes());
        optional("memory.containerPeakBytes", m.containerPeakBytes());
        optional("memory.containerLimitBytes", m.containerLimitBytes());
        range("memory.pointsSeen", m.pointsSeen(), 0, MAX_COUNT);
        List<long[]> points = m.points();
        if (points == null) {
            return;
        }
        if (points.size() > MAX_MEMORY_POINTS) {
            problems.add("memory.points has " + points.size() + " points, at most " + MAX_MEMORY_POINTS);
            return;
        }
        if (m.pointsSeen() >= 0 && points.size() > m.pointsSeen()) {
            problems.add("memory.points has " + points.size() + " points, more than memory.pointsSeen ("
                    + m.pointsSeen() + ")");
        }
        for (int i = 0; i < points.size(); i++) {
            long[] pair = points.get(i);
            String at = "memory.points[" + i + "]";
            if (pair == null || pair.length != 2) {
                problems.add(at + " must be a pair [tag, allocatedBytes]");
                return;
            }
            int before = problems.size();
            range(at + "[0]", pair[0], 0, MAX_TAG);
            range(at + "[1]", pair[1], 0, MAX_BYTES);
            if (problems.size() > before) {
                return; // the first bad point only: the answer stays short
            }
        }
    }

    private void optional(String field, Long bytes) {
        if (bytes != null) {
            range(field, bytes, 0, MAX_MEMORY_BYTES);
        }
    }

    private void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    private static String shown(String value) {
        return '"' + (value.length() > SHOWN_LENGTH ? value.substring(0, SHOWN_LENGTH) + "...\"" : value + '"');
    }
}
