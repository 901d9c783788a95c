package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

    private final FunctionRegistry registry = new FunctionRegistry();

    @Test
    void sumsReportsAcrossInstances() {
        registry.report(report("pi", "a", 100, 10, 40));
        registry.report(report("pi", "b", 50, 5, 20));
        registry.profileStored("pi", "a");
        FunctionSummary s = registry.summaries().get(0);
        assertEquals(new FunctionSummary("pi", 2, 150, 15, 60, 2, 1, s.lastReportMillis()), s);
    }

    @Test
    void readsReportsAfterASequenceInOrder() {
        long first = registry.report(report("pi", "a", 1, 0, 0)).sequence();
        registry.report(report("other", "a", 1, 0, 0));
        long third = registry.report(report("pi", "b", 2, 0, 0)).sequence();
        registry.report(report("pi", "a", 3, 0, 0));

        assertEquals(List.of(1L, 2L, 3L), invocations(registry.reportsAfter("pi", 0)));
        assertEquals(List.of(2L, 3L), invocations(registry.reportsAfter("pi", first)));
        assertEquals(List.of(3L), invocations(registry.reportsAfter("pi", third)));
        assertEquals(List.of(), registry.reportsAfter("never-seen", 0));
    }

    @Test
    void keepsTheLastHundredReports() {
        for (int i = 1; i <= FunctionRegistry.KEPT_REPORTS + 5; i++) {
            registry.report(report("pi", "a", i, 0, 0));
        }
        List<ReceivedReport> kept = registry.reportsAfter("pi", 0);
        assertEquals(FunctionRegistry.KEPT_REPORTS, kept.size());
        assertEquals(6, kept.get(0).report().invocations());
        assertEquals(FunctionRegistry.KEPT_REPORTS + 5, registry.summaries().get(0).reports());
    }

    @Test
    void filesReportsUnderSafeNames() {
        ReceivedReport r = registry.report(report("my fn", "pod 1", 1, 0, 0));
        assertEquals("my_fn", r.function());
        assertEquals("pod_1", r.instance());
        assertEquals("my fn", r.report().function(), "the report itself is kept as sent");
        assertTrue(registry.detail("my_fn").isPresent());
    }

    @Test
    void refusesAnInvalidReportWithoutCountingIt() {
        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("pi", "a", -1, 0, 0)));
        assertEquals("invalid window report: invocations must be >= 0, got -1", e.getMessage());
        assertEquals(List.of(), registry.summaries());
    }

    @Test
    void refusesMoreTracedThanInvocations() {
        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("pi", "a", 1, 2, 0)));
        assertEquals("invalid window report: traced (2) exceeds invocations (1)", e.getMessage());
    }

    @Test
    void aSecondRegistryRestoredFromTheCountersCarriesOn() {
        registry.report(report("pi", "a", 100, 10, 40));
        registry.report(report("pi", "b", 50, 5, 20));
        registry.seen("pi", "c");
        FunctionCounters saved = registry.counters("pi").orElseThrow();
        assertEquals(registry.detail("pi").orElseThrow().instancesLastSeen(), saved.instancesLastSeen());

        FunctionRegistry restarted = new FunctionRegistry();
        restarted.restore("pi", saved);
        restarted.profilesFound("pi", 5);
        restarted.report(report("pi", "a", 1, 1, 1));

        FunctionSummary s = restarted.summaries().get(0);
        assertEquals(new FunctionSummary("pi", 3, 151, 16, 61, 3, 5, s.lastReportMillis()), s);
        assertEquals(Optional.empty(), restarted.counters("never-seen"));
    }

    @Test
    void aRestoreKeepsTheLatestSightingOfEachInstance() {
        registry.seen("pi", "a");
        long now = registry.counters("pi").orElseThrow().instancesLastSeen().get("a");
        registry.restore("pi", new FunctionCounters(0, 0, 0, 0, Map.of("a", now - 1000, "old", 1L)));
        assertEquals(Map.of("a", now, "old", 1L), registry.counters("pi").orElseThrow().instancesLastSeen());
    }

    private static List<Long> invocations(List<ReceivedReport> reports) {
        return reports.stream().map(r -> r.report().invocations()).toList();
    }

    static WindowReport report(String function, String instance, long invocations, long traced, long samples) {
        return new WindowReport(function, instance, 1_000, 61_000, "perf", null, 0, 1, 0.1, 99,
                invocations, traced, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, samples, 0, null, List.of(), false);
    }
}
