package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting each instance's cold start once, and what the API says of them. */
class ColdStartsTest {

    private static WindowReport.ColdStart cold(
            long pid, long processStartMillis, long readyMillis, long firstMillis, long firstNanos) {
        return new WindowReport.ColdStart(
                firstMillis, firstNanos, readyMillis, "boot-1", "pi-7d9f", "/kubepods/pi", pid, processStartMillis);
    }

    private static WindowReport report(long invocations, WindowReport.ColdStart cold) {
        return new WindowReport(
                "pi",
                "pi-1",
                0,
                60_000,
                "off",
                null,
                0,
                0,
                0,
                0,
                invocations,
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
                0,
                0,
                0,
                cold,
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

    @Test
    void aProcessRestartedUnderTheSameNameCountsAgainAReportSentTwiceDoesNot() {
        ColdStartLedger ledger = new ColdStartLedger(100);
        WindowReport first = report(40, cold(1, 1_000, 500, 900, 80_000_000));
        ledger.report("pi-1", first, 10);
        ledger.report("pi-1", first, 11); // the hook resent it: its cold start does not count again
        ledger.report("pi-1", report(20, null), 12);
        ledger.report("pi-1", report(40, cold(1, 61_000, 700, 800, 60_000_000)), 13); // same pid, new JVM
        ledger.report("pi-1", report(0, cold(1, 121_000, 600, 1_000, 70_000_000)), 14);
        ColdStarts view = ledger.view(140);
        assertEquals(3, view.count());
        assertEquals(140, view.invocations());
        assertEquals(3.0 / 140, view.rate(), 1e-12);
        assertEquals(3, view.latency().count());
        assertTrue(
                Math.abs(view.latency().max() - 80_000_000) <= 800_000,
                view.latency().toString());
        assertEquals(new ColdStarts.Summary(3, 500L, 600L, 700L), view.startToReadyMillis());
        assertEquals(new ColdStarts.Summary(3, 800L, 900L, 1_000L), view.timeToFirstInvocationMillis());
        assertEquals(
                List.of(121_000L, 61_000L, 1_000L),
                view.latest().stream()
                        .map(ColdStarts.Instance::processStartMillis)
                        .toList(),
                "newest first");
    }

    @Test
    void anotherContainerWithTheSamePidAndNameIsAnotherColdStart() {
        ColdStartLedger ledger = new ColdStartLedger(100);
        ledger.report("pi-1", report(1, cold(1, 1_000, 5, 9, 1)), 0);
        ledger.report(
                "pi-1",
                report(1, new WindowReport.ColdStart(9, 1, 5L, "boot-2", "pi-7d9f", "/kubepods/pi", 1L, 1_000L)),
                0);
        assertEquals(2, ledger.view(0).count());
    }

    @Test
    void olderHooksAreToldApartByTheirFirstInvocation() {
        ColdStartLedger ledger = new ColdStartLedger(100);
        WindowReport.ColdStart old = new WindowReport.ColdStart(812, 43_000_000, null, null, null, null, null, null);
        ledger.report("pi-1", report(1, old), 0);
        ledger.report("pi-1", report(1, old), 0);
        ledger.report(
                "pi-1", report(1, new WindowReport.ColdStart(815, 41_000_000, null, null, null, null, null, null)), 0);
        ColdStarts view = ledger.view(0);
        assertEquals(2, view.count());
        assertEquals(new ColdStarts.Summary(0, null, null, null), view.startToReadyMillis());
        assertEquals(812L, view.timeToFirstInvocationMillis().min().longValue());
    }

    @Test
    void theCountOutlivesTheKeptOnes() {
        ColdStartLedger ledger = new ColdStartLedger(2);
        for (int i = 0; i < 5; i++) {
            ledger.report("pi-1", report(1, cold(i + 1, 1_000, 5, 9, 1)), i);
        }
        ColdStarts view = ledger.view(0);
        assertEquals(5, view.count());
        assertEquals(2, view.latency().count());
        assertEquals(2, view.latest().size());
    }

    @Test
    void aRestoredCountAddsToWhatThisRunCounts() {
        ColdStartLedger ledger = new ColdStartLedger(10);
        ledger.report("pi-1", report(1, cold(1, 1_000, 5, 9, 1)), 0);
        ledger.restore(4);
        assertEquals(5, ledger.count());
        assertEquals(0.5, ledger.view(10).rate(), 1e-12);
    }

    @Test
    void noInvocationsNoRate() {
        ColdStarts view = new ColdStartLedger(10).view(0);
        assertEquals(0, view.count());
        assertNull(view.rate());
        assertNull(view.latency().p50());
    }
}
