package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

    private static final long IDLE_MILLIS = 600_000;

    private long now = 1_000_000;
    private FunctionRegistry registry = limited(1000, 200, 1000);

    @Test
    void sumsReportsAcrossInstances() {
        registry.report(report("pi", "a", 100, 10, 40));
        registry.report(report("pi", "b", 50, 5, 20));
        registry.profileStored("pi", "a");
        FunctionSummary s = registry.summaries().get(0);
        assertEquals(new FunctionSummary("pi", 2, 150, 15, 60, 2, 1, 0, s.lastReportMillis()), s);
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
        assertEquals(
                FunctionRegistry.KEPT_REPORTS + 5, registry.summaries().get(0).reports());
    }

    @Test
    void refusesNamesRatherThanRewritingThem() {
        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("my fn", "pod-1", 1, 0, 0)));
        assertEquals(Refusal.INVALID_NAME, e.reason());
        assertEquals(List.of(), registry.summaries());
    }

    @Test
    void refusesAnInvalidReportWithoutCountingIt() {
        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("pi", "a", -1, 0, 0)));
        assertEquals("invalid window report: invocations must be in [0, 1000000000000], got -1", e.getMessage());
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
        registry.profileStored("pi", "c");
        FunctionCounters saved = registry.counters("pi").orElseThrow();
        assertEquals(registry.detail("pi").orElseThrow().instancesLastSeen(), saved.instancesLastSeen());

        FunctionRegistry restarted = limited(1000, 200, 1000);
        restarted.restore("pi", saved);
        restarted.profilesFound("pi", 5);
        restarted.report(report("pi", "a", 1, 1, 1));

        FunctionSummary s = restarted.summaries().get(0);
        assertEquals(
                new FunctionSummary("pi", 3, 151, 16, 61, 3, 5, 0, s.lastReportMillis()),
                s,
                "the profile stored" + " before the restart is counted again from the disk, not from the counters");
        assertEquals(Optional.empty(), restarted.counters("never-seen"));
    }

    @Test
    void aRestoreKeepsTheLatestSightingOfEachInstance() {
        registry.profileStored("pi", "a");
        registry.restore("pi", new FunctionCounters(0, 0, 0, 0, 0, Map.of("a", now - 1000, "old", 1L)));
        assertEquals(
                Map.of("a", now, "old", 1L),
                registry.counters("pi").orElseThrow().instancesLastSeen());
    }

    @Test
    void refusesANewFunctionPastTheLimit() {
        registry = limited(2, 200, 1000);
        registry.report(report("a", "h", 1, 0, 0));
        registry.report(report("b", "h", 1, 0, 0));

        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("c", "h", 1, 0, 0)));
        assertEquals(409, e.status());
        assertEquals(Refusal.FUNCTIONS_LIMIT, e.reason());
        assertEquals(
                "the controller already holds 2 functions, the most perfaas.limits.functions allows:"
                        + " function \"c\" is refused",
                e.getMessage());
        assertThrows(ApiException.class, () -> registry.admitProfile("c", "h"));
        assertEquals(List.of("a", "b"), registry.names());

        registry.report(report("a", "h", 1, 0, 0));
        registry.admitProfile("b", "h2");
        assertEquals(2, registry.summaries().get(0).reports());
        assertEquals(1, registry.summaries().get(1).instances(), "admitting a profile records nothing");
    }

    @Test
    void refusesANewInstancePastTheLimitUntilOthersFallSilent() {
        registry = limited(1000, 2, 1000);
        registry.report(report("pi", "i1", 1, 0, 0));
        registry.report(report("pi", "i2", 1, 0, 0));

        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("pi", "i3", 1, 0, 0)));
        assertEquals(409, e.status());
        assertEquals(Refusal.INSTANCES_LIMIT, e.reason());
        assertEquals(
                "function \"pi\" already has 2 instances heard from in the last 600 s, the most"
                        + " perfaas.limits.instances-per-function allows: instance \"i3\" is refused",
                e.getMessage());
        assertThrows(ApiException.class, () -> registry.admitProfile("pi", "i3"));
        registry.report(report("pi", "i1", 1, 0, 0));

        now += IDLE_MILLIS;
        registry.report(report("pi", "i2", 1, 0, 0));
        assertThrows(ApiException.class, () -> registry.report(report("pi", "i3", 1, 0, 0)));
        now += 1;
        registry.report(report("pi", "i3", 1, 0, 0));
        assertEquals(
                List.of("i2", "i3"),
                List.copyOf(
                        registry.detail("pi").orElseThrow().instancesLastSeen().keySet()));
    }

    @Test
    void limitsTheReportRateOfEachInstance() {
        registry = limited(1000, 200, 3);
        for (int i = 0; i < 3; i++) {
            registry.report(report("pi", "a", 1, 0, 0));
        }
        ApiException e = assertThrows(ApiException.class, () -> registry.report(report("pi", "a", 1, 0, 0)));
        assertEquals(429, e.status());
        assertEquals(Refusal.REPORT_RATE, e.reason());
        assertEquals(20, e.retryAfterSeconds(), "a token every 20 s at 3 a minute");
        assertEquals(
                "instance \"a\" of function \"pi\" sends more than 3 reports a minute, the most"
                        + " perfaas.limits.reports-per-instance-per-minute allows",
                e.getMessage());
        registry.report(report("pi", "b", 1, 0, 0));

        now += 19_999;
        assertThrows(ApiException.class, () -> registry.report(report("pi", "a", 1, 0, 0)));
        now += 1;
        registry.report(report("pi", "a", 1, 0, 0));
        assertThrows(ApiException.class, () -> registry.report(report("pi", "a", 1, 0, 0)));
        assertEquals(5, registry.summaries().get(0).reports());
    }

    @Test
    void listenersHearOfEachNewFunctionOnce() {
        List<String> heard = new ArrayList<>();
        registry.onNewFunction(heard::add);

        registry.report(report("pi", "a", 1, 0, 0));
        registry.report(report("pi", "b", 1, 0, 0));
        registry.profileStored("stored", "a");
        registry.profileStored("pi", "a");
        registry.restore("saved", new FunctionCounters(1, 0, 0, 1, 0, Map.of()));
        registry.profilesFound("found", 2);
        assertThrows(ApiException.class, () -> registry.report(report("my fn", "a", 1, 0, 0)));

        assertEquals(List.of("pi", "stored", "saved", "found"), heard);
    }

    @Test
    void totalsStickAtTheTopInsteadOfTurningNegative() {
        assertEquals(Long.MAX_VALUE, FunctionRecord.saturated(Long.MAX_VALUE + ReportCheck.MAX_COUNT));
        assertEquals(ReportCheck.MAX_COUNT, FunctionRecord.saturated(ReportCheck.MAX_COUNT));
    }

    private FunctionRegistry limited(int functions, int instances, int reportsPerMinute) {
        return new FunctionRegistry(new RegistryLimits(functions, instances, reportsPerMinute, IDLE_MILLIS), () -> now);
    }

    private static List<Long> invocations(List<ReceivedReport> reports) {
        return reports.stream().map(r -> r.report().invocations()).toList();
    }

    static WindowReport report(String function, String instance, long invocations, long traced, long samples) {
        return new WindowReport(
                function,
                instance,
                1_000,
                61_000,
                "perf",
                null,
                0,
                1,
                0.1,
                99,
                invocations,
                traced,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                samples,
                0,
                null,
                List.of(),
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
