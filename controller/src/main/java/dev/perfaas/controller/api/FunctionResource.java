package dev.perfaas.controller.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.functions.FunctionDetail;
import dev.perfaas.controller.functions.FunctionGlance;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.FunctionSummary;
import dev.perfaas.controller.functions.MemorySizing;
import dev.perfaas.controller.loop.ControlService;
import dev.perfaas.controller.loop.ControlStatus;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.loop.HistoryEntry;
import dev.perfaas.controller.policy.Policy;
import dev.perfaas.controller.policy.PolicyBook;
import dev.perfaas.controller.policy.SlowCallRule;
import dev.perfaas.controller.profiles.SlowCalls;
import dev.perfaas.controller.targets.EffectiveTargets;
import dev.perfaas.controller.targets.TargetsBook;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.RestPath;

/**
 * What the controller has measured and decided per function, for operators. A function known only
 * from saved control state without counters (saved by a controller before they were saved) shows
 * zero counts.
 */
@Path("/v1/functions")
@Produces(MediaType.APPLICATION_JSON)
public class FunctionResource {

    /** How many slow calls the detail lists; GET /v1/profiles/{function}/slow lists more. */
    static final int LATEST_SLOW_CALLS = 10;

    private final FunctionRegistry registry;
    private final ControlService control;
    private final TargetsBook targets;
    private final PolicyBook book;
    private final SlowCallRule slowCallRule;
    private final SlowCalls slowCalls;

    public FunctionResource(
            FunctionRegistry registry,
            ControlService control,
            TargetsBook targets,
            PolicyBook book,
            SlowCallRule slowCallRule,
            SlowCalls slowCalls) {
        this.registry = registry;
        this.control = control;
        this.targets = targets;
        this.book = book;
        this.slowCallRule = slowCallRule;
        this.slowCalls = slowCalls;
    }

    @GET
    public List<Entry> list() {
        Map<String, FunctionSummary> summaries = new TreeMap<>();
        registry.summaries().forEach(s -> summaries.put(s.function(), s));
        Map<String, FunctionControl> controlled = control.functions();
        TreeSet<String> names = new TreeSet<>(summaries.keySet());
        names.addAll(controlled.keySet());
        return names.stream()
                .map(name -> Entry.of(
                        summaries.getOrDefault(name, unheard(name)),
                        registry.glance(name).orElse(FunctionGlance.NONE),
                        targets.effective(name).targets().maxOverhead(),
                        controlled.get(name)))
                .toList();
    }

    @GET
    @Path("{function}")
    public State get(@RestPath String function) throws IOException {
        String name = SafeName.function(function);
        Optional<FunctionControl> controlled = control.function(name);
        FunctionDetail detail = registry.detail(name)
                .or(() -> controlled.map(c -> new FunctionDetail(
                        unheard(name),
                        Map.of(),
                        FunctionDetail.Engine.of(null),
                        null,
                        null,
                        null,
                        MemorySizing.of(List.of()),
                        null,
                        null)))
                .orElseThrow(() -> ApiException.notFound("unknown function \"" + name + "\": no report or profile"
                        + " has named it since the controller started, it has no profile on disk and no saved state"));
        return new State(
                detail,
                targets.effective(name),
                book.current(name),
                controlled.map(FunctionControl::status).orElse(null),
                controlled.map(FunctionControl::history).orElse(List.of()),
                slowCallRule.threshold(name),
                slowCalls.latest(name, LATEST_SLOW_CALLS));
    }

    private static FunctionSummary unheard(String name) {
        return new FunctionSummary(name, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /**
     * One function in GET /v1/functions: its totals, its glance (last window, engine, warm latency,
     * memory finding), the overhead ceiling of its targets, and the law's latest figures, null before
     * the loop has stepped it (overhead and sampleRatio stay null until a step with data).
     */
    public record Entry(
            @JsonUnwrapped FunctionSummary summary,
            @JsonUnwrapped FunctionGlance glance,
            double maxOverhead,
            Double overhead,
            Double sampleRatio,
            Double fraction,
            Integer frequencyHz,
            String inControl) {

        static Entry of(FunctionSummary summary, FunctionGlance glance, double maxOverhead, FunctionControl control) {
            return control == null
                    ? new Entry(summary, glance, maxOverhead, null, null, null, null, null)
                    : new Entry(
                            summary,
                            glance,
                            maxOverhead,
                            control.status().overhead(),
                            control.status().sampleRatio(),
                            control.policy().fraction(),
                            control.policy().frequencyHz(),
                            control.status().inControl());
        }
    }

    /**
     * GET /v1/functions/{function}: the totals and last report, the effective targets and their
     * source, the policy answered now, the law's status (null before the loop has stepped the
     * function) and its last steps, oldest first; which calls are slow and the latest captured.
     */
    public record State(
            @JsonUnwrapped FunctionDetail detail,
            EffectiveTargets targets,
            Policy policy,
            ControlStatus control,
            List<HistoryEntry> history,
            SlowCallRule.Threshold slowCallThreshold,
            List<SlowCalls.SlowCall> slowCalls) {}
}
