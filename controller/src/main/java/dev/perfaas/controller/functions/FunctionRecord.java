package dev.perfaas.controller.functions;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.RateBucket;
import dev.perfaas.controller.Refusal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Everything remembered about one function. Every method locks the record while it reads or writes
 * it; the detail, the glance and the insight copy what they need under the lock and compute after it.
 */
final class FunctionRecord {

    static final long INSIGHT_MAX_AGE_MILLIS = 10_000;

    private final String function;
    private final int keptReports;
    private final RegistryLimits limits;
    private final Map<String, Long> instancesLastSeen = new TreeMap<>();
    // Of the instances in instancesLastSeen that have reported; forgotten with them.
    private final Map<String, RateBucket> rates = new HashMap<>();
    private RateBucket slowCalls; // from the function's first slow call on
    private final Deque<ReceivedReport> recent = new ArrayDeque<>();
    private final ColdStartLedger coldStarts;
    private final Durations durations = new Durations();
    private final CgroupUsage usage = new CgroupUsage();
    private long invocations;
    private long traced;
    private long samples;
    private long reports;
    private long profiles;
    private ReceivedReport last;
    private Insight insight;
    private long insightSequence;
    private long insightMillis;

    FunctionRecord(String function, int keptReports, RegistryLimits limits) {
        this.function = function;
        this.keptReports = keptReports;
        this.limits = limits;
        this.coldStarts = new ColdStartLedger(keptReports);
    }

    private void seen(String instance, long nowMillis) {
        instancesLastSeen.put(instance, nowMillis);
    }

    /**
     * Refuses a new instance when the function has as many as perfaas.limits.instances-per-function
     * allows, after forgetting those silent for longer than the limits' idle time (pods gone).
     */
    synchronized void admit(String instance, long nowMillis) {
        if (instancesLastSeen.containsKey(instance) || instancesLastSeen.size() < limits.instancesPerFunction()) {
            return;
        }
        for (Iterator<Map.Entry<String, Long>> it = instancesLastSeen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (nowMillis - e.getValue() > limits.idleMillis()) {
                it.remove();
                rates.remove(e.getKey());
                usage.retire(e.getKey());
            }
        }
        if (instancesLastSeen.size() >= limits.instancesPerFunction()) {
            throw ApiException.limitReached(
                    Refusal.INSTANCES_LIMIT,
                    "function \"" + function + "\" already has "
                            + instancesLastSeen.size() + " instances heard from in the last "
                            + limits.idleMillis() / 1000
                            + " s, the most perfaas.limits.instances-per-function allows: instance \"" + instance
                            + "\" is refused");
        }
    }

    /** Takes one of the function's slow-call tokens for {@code instance}; the ms to wait when there is none. */
    synchronized long takeSlowCall(String instance, int perMinute, int burst, long nowMillis) {
        admit(instance, nowMillis);
        if (slowCalls == null) {
            slowCalls = new RateBucket(perMinute, burst, nowMillis);
        }
        return slowCalls.take(nowMillis);
    }

    synchronized void profileStored(String instance, long nowMillis) {
        seen(instance, nowMillis);
        profiles++;
    }

    /**
     * Adds a report, unless its instance is past the limits; {@code sequence} is taken under the lock
     * so each record's reports stay in order.
     */
    synchronized ReceivedReport report(String instance, WindowReport report, long nowMillis, LongSupplier sequence) {
        admit(instance, nowMillis);
        long waitMillis = rates.computeIfAbsent(
                        instance, i -> new RateBucket(limits.reportsPerMinute(), limits.reportsPerMinute(), nowMillis))
                .take(nowMillis);
        if (waitMillis > 0) {
            throw ApiException.tooManyRequests(
                    Refusal.REPORT_RATE,
                    "instance \"" + instance + "\" of function \""
                            + function + "\" sends more than " + limits.reportsPerMinute()
                            + " reports a minute, the most"
                            + " perfaas.limits.reports-per-instance-per-minute allows",
                    (waitMillis + 999) / 1000);
        }
        seen(instance, nowMillis);
        ReceivedReport received = new ReceivedReport(sequence.getAsLong(), nowMillis, function, instance, report);
        invocations = saturated(invocations + report.invocations());
        traced = saturated(traced + report.traced());
        samples = saturated(samples + report.samples());
        reports++;
        coldStarts.report(instance, report, nowMillis);
        durations.add(report.latencyBuckets(), report.wallNanos());
        if (report.watchdog() != null) {
            durations.add(report.watchdog());
        }
        usage.add(instance, report, nowMillis);
        last = received;
        recent.addLast(received);
        if (recent.size() > keptReports) {
            recent.removeFirst();
        }
        return received;
    }

    // Reports are checked to be >= 0, so an overflow shows as a negative sum: the total sticks at the top.
    static long saturated(long sum) {
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    synchronized Durations.Snapshot durations() {
        return durations.snapshot();
    }

    synchronized CgroupTotals usage(long nowMillis) {
        return usage.totals(nowMillis);
    }

    /**
     * CPU seconds per invocation over the kept reports that know their invocations: a hook's (its
     * process's CPU over its invocations) and the node agent's with watchdog figures (the cgroup's CPU
     * over the watchdog's requests); NaN when they count none.
     */
    synchronized double cpuSecondsPerInvocation() {
        long cpuNanos = 0;
        long invoked = 0;
        for (ReceivedReport received : recent) {
            WindowReport r = received.report();
            boolean agent = "host-perf".equals(r.engine());
            if (agent && r.watchdog() == null) {
                continue; // its invocations are sampling slots
            }
            cpuNanos = saturated(cpuNanos + r.processCpuNanos());
            invoked = saturated(invoked + (agent ? r.watchdog().requests() : r.invocations()));
        }
        return invoked == 0 ? Double.NaN : cpuNanos / 1e9 / invoked;
    }

    synchronized FunctionCounters counters() {
        return new FunctionCounters(invocations, traced, samples, reports, coldStarts.count(), instancesLastSeen);
    }

    /** Adds what a previous run saved to what this run counted, if anything came in first. */
    synchronized void restore(FunctionCounters saved) {
        invocations = saturated(invocations + saved.invocations());
        traced = saturated(traced + saved.traced());
        samples = saturated(samples + saved.samples());
        reports = saturated(reports + saved.reports());
        coldStarts.restore(saved.coldStarts());
        saved.instancesLastSeen().forEach((instance, millis) -> instancesLastSeen.merge(instance, millis, Math::max));
    }

    synchronized void profilesFound(long onDisk) {
        profiles = saturated(profiles + onDisk);
    }

    synchronized List<ReceivedReport> reportsAfter(long sequence) {
        List<ReceivedReport> after = new ArrayList<>();
        for (ReceivedReport r : recent) {
            if (r.sequence() > sequence) {
                after.add(r);
            }
        }
        return after;
    }

    synchronized FunctionSummary summary() {
        return new FunctionSummary(
                function,
                instancesLastSeen.size(),
                invocations,
                traced,
                samples,
                reports,
                profiles,
                coldStarts.count(),
                last == null ? null : last.receivedMillis());
    }

    FunctionDetail detail(long nowMillis) {
        FunctionSummary summary;
        Map<String, Long> instances;
        WindowReport report;
        ColdStarts cold;
        CgroupTotals cgroups;
        double perInvocation;
        synchronized (this) {
            summary = summary();
            cgroups = usage.totals(nowMillis);
            perInvocation = cpuSecondsPerInvocation();
            instances = new TreeMap<>(instancesLastSeen);
            report = last == null ? null : last.report();
            cold = last == null ? null : coldStarts.view(invocations);
        }
        Insight insight = insight(nowMillis, 0); // an operator's read: as of the last report
        return new FunctionDetail(
                summary,
                instances,
                FunctionDetail.Engine.of(report),
                report,
                cold,
                insight.latency(),
                insight.memory(),
                cgroups,
                Double.isNaN(perInvocation) ? null : perInvocation);
    }

    /** What GET /v1/functions shows beyond the totals: the last report's window and engine, the cached insight. */
    FunctionGlance glance(long nowMillis) {
        WindowReport report;
        synchronized (this) {
            report = last == null ? null : last.report();
        }
        return report == null
                ? FunctionGlance.NONE
                : FunctionGlance.of(report, insight(nowMillis, INSIGHT_MAX_AGE_MILLIS));
    }

    /**
     * The insight of the kept reports, computed again only when a report came since and the last one is
     * {@code maxAgeMillis} old: policy polls and scrapes of many instances and functions then cost a
     * lookup. The computation runs off the lock, which this function's reports take on the event loop.
     */
    Insight insight(long nowMillis, long maxAgeMillis) {
        List<WindowReport> kept;
        long sequence;
        synchronized (this) {
            sequence = last == null ? -1 : last.sequence();
            if (insight != null && (insightSequence == sequence || nowMillis - insightMillis < maxAgeMillis)) {
                return insight;
            }
            kept = recent.stream().map(ReceivedReport::report).toList();
        }
        Insight fresh = new Insight(Latency.of(kept), MemorySizing.of(kept));
        synchronized (this) {
            if (insight == null || sequence >= insightSequence) { // a slower reader does not put back an older one
                insight = fresh;
                insightSequence = sequence;
                insightMillis = nowMillis;
            }
        }
        return fresh;
    }
}
