package dev.perfaas.controller.functions;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.SafeName;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the controller has heard from each function: totals, instances, and the last
 * {@value #KEPT_REPORTS} window reports for the control loop, within perfaas.limits.*. Held in
 * memory; the control service saves each function's {@link FunctionCounters} with its control state
 * and puts them back at startup, and the profiles are counted again on disk then (so a restart
 * forgets the reports and instances heard of since a function's last save, and its last report).
 * Function and instance arguments are valid names (see {@link SafeName}). Built at startup so a bad
 * limit stops the controller at once.
 */
@Startup
@ApplicationScoped
public class FunctionRegistry {

    static final int KEPT_REPORTS = 100;

    private final ConcurrentMap<String, FunctionRecord> functions = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Consumer<String>> newFunctionListeners = new CopyOnWriteArrayList<>();
    private final RegistryLimits limits;
    private final LongSupplier clock;

    @Inject
    public FunctionRegistry(PerfaasConfig config) {
        this(RegistryLimits.from(config), System::currentTimeMillis);
    }

    FunctionRegistry(RegistryLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Refuses, before an upload is read, a profile of a new function or instance past the limits.
     * Records nothing, though making room for an instance forgets those long silent.
     */
    public void admitProfile(String function, String instance) {
        FunctionRecord r = functions.get(function);
        if (r == null) {
            roomForAnother(function);
        } else {
            r.admit(instance, clock.getAsLong());
        }
    }

    /**
     * Admits a slow call of {@code function} from {@code instance} as a report would be (the function
     * is taken in if there is room) and takes one of the function's slow-call tokens; the ms to wait
     * when there is none. The bucket lives with the function's record, so there are at most
     * perfaas.limits.functions of them.
     */
    public long takeSlowCall(String function, String instance, int perMinute, int burst) {
        return admitted(function).takeSlowCall(instance, perMinute, burst, clock.getAsLong());
    }

    /**
     * Counts a stored profile. Its upload was admitted before its body was read, and the file is
     * written now: it counts even if uploads running alongside took the last room meanwhile.
     */
    public void profileStored(String function, String instance) {
        record(function).profileStored(instance, clock.getAsLong());
    }

    /** Validates and files a report, unless its function, instance or report rate is past the limits. */
    public ReceivedReport report(WindowReport report) {
        ReportCheck.validate(report);
        return admitted(report.function())
                .report(report.instance(), report, clock.getAsLong(), sequence::incrementAndGet);
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

    /**
     * Calls {@code listener} with each function the registry takes in from now on, once, on the thread
     * that took it in (possibly under the lock that admits new functions: keep it short). Functions are
     * never forgotten, so there is no removal to hear of.
     */
    public void onNewFunction(Consumer<String> listener) {
        newFunctionListeners.add(listener);
    }

    /** The totals of {@code function}; empty when it was never heard of. */
    public Optional<FunctionSummary> summary(String function) {
        return Optional.ofNullable(functions.get(function)).map(FunctionRecord::summary);
    }

    /** The latency of every invocation reported since the controller started; empty when never heard of. */
    public Optional<Durations.Snapshot> durations(String function) {
        return Optional.ofNullable(functions.get(function)).map(FunctionRecord::durations);
    }

    /** The function's CPU, memory and OOM kills from its instances' cgroups; empty before the node agent sent one. */
    public Optional<CgroupTotals> usage(String function) {
        return Optional.ofNullable(functions.get(function)).map(r -> r.usage(clock.getAsLong()));
    }

    /** CPU seconds per invocation over the kept reports that know their invocations; NaN when none does. */
    public double cpuSecondsPerInvocation(String function) {
        FunctionRecord r = functions.get(function);
        return r == null ? Double.NaN : r.cpuSecondsPerInvocation();
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
        return Optional.ofNullable(functions.get(function)).map(r -> r.detail(clock.getAsLong()));
    }

    /**
     * The function's latency and memory insight for frequent readers (policy polls, scrapes): at most
     * FunctionRecord.INSIGHT_MAX_AGE_MILLIS behind its reports.
     */
    public Optional<Insight> insight(String function) {
        return Optional.ofNullable(functions.get(function))
                .map(r -> r.insight(clock.getAsLong(), FunctionRecord.INSIGHT_MAX_AGE_MILLIS));
    }

    /** What the list of functions shows of {@code function} beyond its totals; empty when never heard of. */
    public Optional<FunctionGlance> glance(String function) {
        return Optional.ofNullable(functions.get(function)).map(r -> r.glance(clock.getAsLong()));
    }

    /** A function's record, created past the limits: for what is already stored or was saved. */
    private FunctionRecord record(String function) {
        FunctionRecord known = functions.get(function);
        if (known != null) {
            return known;
        }
        FunctionRecord fresh = new FunctionRecord(function, KEPT_REPORTS, limits);
        FunctionRecord raced = functions.putIfAbsent(function, fresh);
        if (raced != null) {
            return raced;
        }
        newFunctionListeners.forEach(listener -> listener.accept(function));
        return fresh;
    }

    private FunctionRecord admitted(String function) {
        FunctionRecord r = functions.get(function);
        if (r != null) {
            return r;
        }
        // New functions one at a time, so that two cannot both take the last room.
        synchronized (functions) {
            if (!functions.containsKey(function)) {
                roomForAnother(function);
            }
            return record(function);
        }
    }

    private void roomForAnother(String function) {
        if (functions.size() >= limits.functions()) {
            throw ApiException.limitReached(
                    Refusal.FUNCTIONS_LIMIT,
                    "the controller already holds "
                            + functions.size() + " functions, the most perfaas.limits.functions allows: function \""
                            + function + "\" is refused");
        }
    }
}
