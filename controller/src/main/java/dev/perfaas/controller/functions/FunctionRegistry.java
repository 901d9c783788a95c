package dev.perfaas.controller.functions;

import dev.perfaas.controller.SafeName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the controller has heard from each function: totals, instances, and the last
 * {@value #KEPT_REPORTS} window reports for the control loop. Held in memory; the control service
 * saves each function's {@link FunctionCounters} with its control state and puts them back at
 * startup, and the profiles are counted again on disk then (so a restart forgets the reports and
 * instances heard of since a function's last save, and its last report). Function and instance
 * arguments are safe names (see {@link SafeName}).
 */
@ApplicationScoped
public class FunctionRegistry {

    static final int KEPT_REPORTS = 100;

    private final ConcurrentMap<String, FunctionRecord> functions = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** Notes that {@code instance} of {@code function} is alive, e.g. because it asked for its policy. */
    public void seen(String function, String instance) {
        record(function).seen(instance, System.currentTimeMillis());
    }

    public void profileStored(String function, String instance) {
        record(function).profileStored(instance, System.currentTimeMillis());
    }

    /** Validates and files a report under its safe function and instance names. */
    public ReceivedReport report(WindowReport report) {
        ReportCheck.validate(report);
        String function = SafeName.function(report.function());
        String instance = SafeName.instance(report.instance());
        return record(function).report(instance, report, System.currentTimeMillis(), sequence::incrementAndGet);
    }

    /**
     * Reports of {@code function} with a sequence above {@code afterSequence}, oldest first; only the
     * last {@value #KEPT_REPORTS} are kept. Pass 0 for all kept reports.
     */
    public List<ReceivedReport> reportsAfter(String function, long afterSequence) {
        FunctionRecord r = functions.get(function);
        return r == null ? List.of() : r.reportsAfter(afterSequence);
    }

    /** What is saved of {@code function}; empty when it was never heard of. */
    public Optional<FunctionCounters> counters(String function) {
        return Optional.ofNullable(functions.get(function)).map(FunctionRecord::counters);
    }

    /** At startup: adds the counters a previous run saved for {@code function}. */
    public void restore(String function, FunctionCounters saved) {
        record(function).restore(saved);
    }

    /** At startup: adds the profiles found in {@code function}'s directory of the stacks directory. */
    public void profilesFound(String function, long profiles) {
        record(function).profilesFound(profiles);
    }

    /** Every function heard of, sorted. */
    public List<String> names() {
        return functions.keySet().stream().sorted().toList();
    }

    public List<FunctionSummary> summaries() {
        return functions.values().stream()
                .map(FunctionRecord::summary)
                .sorted(Comparator.comparing(FunctionSummary::function))
                .toList();
    }

    public Optional<FunctionDetail> detail(String function) {
        return Optional.ofNullable(functions.get(function)).map(FunctionRecord::detail);
    }

    private FunctionRecord record(String function) {
        return functions.computeIfAbsent(function, f -> new FunctionRecord(f, KEPT_REPORTS));
    }
}
