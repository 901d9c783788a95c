package dev.perfaas.controller.metrics;

import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.FunctionSummary;
import dev.perfaas.controller.functions.Insight;
import dev.perfaas.controller.functions.MemorySizing;
import dev.perfaas.controller.loop.ControlService;
import dev.perfaas.controller.loop.ControlStatus;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.policy.PolicyBook;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.controller.profiles.Retention;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Per-function meters on /q/metrics, labelled {@code function_name} as the OpenFaaS gateway labels
 * its own. Every meter reads live state when scraped (the registry's totals, the control loop's
 * status, the published policy, retention's usage): a report costs nothing here. A function's meters
 * are registered when the registry first takes it in, so there are at most perfaas.limits.functions
 * sets of them. The registry never forgets a function; if it ever does, its meters must go with it
 * ({@code meters.find(...).tag(FUNCTION, name).meters()} and {@code meters.remove} each).
 *
 * <p>Another per-function figure is one line in {@link #register}: a {@link #counter} for a total
 * kept since the function was first heard of, a {@link #gauge} for a value as it is now. The latency
 * histogram is {@link DurationMetrics}'s.
 */
@Startup
@ApplicationScoped
public class FunctionMetrics {

    /** The quantiles of warm latency exposed, as Percentiles holds them. */
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    /** The label of every per-function meter, as in the gateway's gateway_function_invocation_total. */
    public static final String FUNCTION = "function_name";

    private final MeterRegistry meters;
    private final FunctionRegistry registry;
    private final ControlService control;
    private final PolicyBook book;
    private final Retention retention;
    // Held here because Micrometer holds the object a function meter reads only weakly.
    private final ConcurrentMap<String, Subject> subjects = new ConcurrentHashMap<>();

    /** The function a meter reads. */
    private record Subject(String function, Tags tags) {}

    public FunctionMetrics(
            MeterRegistry meters,
            FunctionRegistry registry,
            ControlService control,
            PolicyBook book,
            ProfileStore profiles) {
        this.meters = meters;
        this.registry = registry;
        this.control = control;
        this.book = book;
        this.retention = profiles.retention();
        // Listening first, then the functions restored at startup: one taken in between is met twice, registered once.
        registry.onNewFunction(this::register);
        registry.names().forEach(this::register);
    }

    private void register(String function) {
        Subject s = new Subject(function, Tags.of(FUNCTION, function));
        if (subjects.putIfAbsent(function, s) != null) {
            return;
        }
        counter(
                s,
                "perfaas.function.invocations",
                "Invocations reported by the function's hooks",
                total(FunctionSummary::invocations));
        counter(s, "perfaas.function.traced", "Invocations the hooks drew for tracing", total(FunctionSummary::traced));
        counter(s, "perfaas.function.samples", "Stack samples the hooks reported", total(FunctionSummary::samples));
        counter(s, "perfaas.function.reports", "Window reports received", total(FunctionSummary::reports));
        counter(
                s,
                "perfaas.function.coldstarts",
                "Instance processes that served a first invocation, each once",
                total(FunctionSummary::coldStartCount));
        counter(
                s,
                "perfaas.function.profiles",
                "Profiles stored (those on disk at startup, and stored since)",
                total(FunctionSummary::profiles));
        gauge(
                s,
                "perfaas.function.instances",
                null,
                "Instances the controller holds for the function (see perfaas.limits.instances-per-function)",
                total(FunctionSummary::instances));
        gauge(
                s,
                "perfaas.function.tracer.overhead.ratio",
                "ratio",
                "Tracer CPU over the function's CPU, measured in the last control step with data; NaN before one",
                status(ControlStatus::overhead));
        gauge(
                s,
                "perfaas.function.sample.ratio",
                "ratio",
                "Samples got over samples wanted, in the last control step with data; NaN before one",
                status(ControlStatus::sampleRatio));
        gauge(
                s,
                "perfaas.function.budget.limited",
                null,
                "1 when the overhead ceiling, not the sample target, set the policy in the last control step",
                subject -> control.function(subject.function())
                        .map(c -> c.status().budgetLimited() ? 1.0 : 0.0)
                        .orElse(0.0));
        gauge(
                s,
                "perfaas.function.trace.fraction",
                null,
                "Fraction of invocations the published policy traces",
                subject -> book.current(subject.function()).fraction());
        gauge(
                s,
                "perfaas.function.sampling.frequency.hertz",
                "hertz",
                "Sampling frequency of the published policy",
                subject -> book.current(subject.function()).frequencyHz());
        gauge(
                s,
                "perfaas.stacks.bytes",
                "bytes",
                "Bytes the function's profiles take in the stacks directory",
                subject -> retention.usage(subject.function()).bytes());
        gauge(
                s,
                "perfaas.stacks.files",
                null,
                "Profiles of the function in the stacks directory",
                subject -> retention.usage(subject.function()).files());
        for (double q : QUANTILES) {
            Gauge.builder("perfaas.function.latency", s, subject -> warmLatencySeconds(subject, q))
                    .description("Latency of warm invocations over the reports kept (the last 100 windows), at the"
                            + " quantile; NaN before one; at most 10 s behind the reports")
                    .baseUnit("seconds")
                    .tags(s.tags().and("quantile", Double.toString(q)))
                    .register(meters);
        }
        gauge(
                s,
                "perfaas.function.memory.recommended",
                "bytes",
                "Recommended memory limit of the function's containers (GET /v1/functions/{function} says why);"
                        + " NaN while there is not enough data",
                subject -> registry.insight(subject.function())
                        .map(Insight::memory)
                        .map(m -> m.recommendation() == null || MemorySizing.NOT_ENOUGH_DATA.equals(m.finding())
                                ? Double.NaN
                                : (double) m.recommendation().limitBytes())
                        .orElse(Double.NaN));
    }

    private double warmLatencySeconds(Subject subject, double quantile) {
        return registry.insight(subject.function())
                .map(Insight::latency)
                .map(l -> l.pooled().warm().at(quantile))
                .map(nanos -> nanos / 1e9)
                .orElse(Double.NaN);
    }

    private void counter(Subject s, String name, String description, ToDoubleFunction<Subject> value) {
        FunctionCounter.builder(name, s, value)
                .description(description)
                .tags(s.tags())
                .register(meters);
    }

    private void gauge(Subject s, String name, String unit, String description, ToDoubleFunction<Subject> value) {
        Gauge.builder(name, s, value)
                .description(description)
                .baseUnit(unit)
                .tags(s.tags())
                .register(meters);
    }

    private ToDoubleFunction<Subject> total(ToLongFunction<FunctionSummary> field) {
        return subject ->
                registry.summary(subject.function()).map(field::applyAsLong).orElse(0L);
    }

    private ToDoubleFunction<Subject> status(Function<ControlStatus, Double> field) {
        return subject -> control.function(subject.function())
                .map(FunctionControl::status)
                .map(field)
                .orElse(Double.NaN);
    }
}
