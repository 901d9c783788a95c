package dev.perfaas.controller.functions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/** Everything remembered about one function; every method locks the record. */
final class FunctionRecord {

    private final String function;
    private final int keptReports;
    private final Map<String, Long> instancesLastSeen = new TreeMap<>();
    private final Deque<ReceivedReport> recent = new ArrayDeque<>();
    private long invocations;
    private long traced;
    private long samples;
    private long reports;
    private long profiles;
    private ReceivedReport last;

    FunctionRecord(String function, int keptReports) {
        this.function = function;
        this.keptReports = keptReports;
    }

    synchronized void seen(String instance, long nowMillis) {
        instancesLastSeen.put(instance, nowMillis);
    }

    synchronized void profileStored(String instance, long nowMillis) {
        seen(instance, nowMillis);
        profiles++;
    }

    /** Adds a report; {@code sequence} is taken under the lock so each record's reports stay in order. */
    synchronized ReceivedReport report(String instance, WindowReport report, long nowMillis,
            LongSupplier sequence) {
        seen(instance, nowMillis);
        ReceivedReport received = new ReceivedReport(sequence.getAsLong(), nowMillis, function, instance, report);
        invocations += report.invocations();
        traced += report.traced();
        samples += report.samples();
        reports++;
        last = received;
        recent.addLast(received);
        if (recent.size() > keptReports) {
            recent.removeFirst();
        }
        return received;
    }

    synchronized FunctionCounters counters() {
        return new FunctionCounters(invocations, traced, samples, reports, instancesLastSeen);
    }

    /** Adds what a previous run saved to what this run counted, if anything came in first. */
    synchronized void restore(FunctionCounters saved) {
        invocations += saved.invocations();
        traced += saved.traced();
        samples += saved.samples();
        reports += saved.reports();
        saved.instancesLastSeen().forEach((instance, millis) -> instancesLastSeen.merge(instance, millis, Math::max));
    }

    synchronized void profilesFound(long onDisk) {
        profiles += onDisk;
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
        return new FunctionSummary(function, instancesLastSeen.size(), invocations, traced, samples, reports,
                profiles, last == null ? null : last.receivedMillis());
    }

    synchronized FunctionDetail detail() {
        WindowReport report = last == null ? null : last.report();
        return new FunctionDetail(summary(), new TreeMap<>(instancesLastSeen), FunctionDetail.Engine.of(report), report);
    }
}
