package dev.perfaas.controller.loop;

import static dev.perfaas.controller.loop.Reports.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.Targets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionStepperTest {

    private final FunctionStepper stepper = new FunctionStepper(new ControlLaw(LawConfig.DEFAULT), 3, 10);
    private final PublishedPolicy configured = new PublishedPolicy(0.1, 99, 1);

    // 6,000 samples in a minute where 600 are wanted, tracing at 20 % of the function's CPU.
    private final MeasuredPeriod expensive =
            MeasurementBuilder.build(List.of(window("a", 0, 1000, 100, 6000, 10_000, 1000, 1000)));
    private final MeasuredPeriod idle = MeasurementBuilder.build(List.of(window("a", 0, 0, 0, 0, 5, 0, 0)));

    @Test
    void aNewFunctionGetsThePriorWithoutAStepAndShowsWhatItsFirstReportsMeasured() {
        FunctionControl first = stepper.first(Targets.DEFAULT, configured, expensive, 1000);
        assertEquals(LawConfig.DEFAULT.priorFraction(), first.policy().fraction());
        assertEquals(LawConfig.DEFAULT.priorFrequencyHz(), first.policy().frequencyHz());
        assertEquals(2, first.policy().version(), "the prior replaces the configured default answered so far");
        double overhead = expensive.measurement().overhead();
        assertEquals(new ControlStatus(overhead, 10.0, "prior", false, 1000), first.status());
        assertEquals(1, first.history().size());
        assertEquals(expensive, first.history().get(0).measurement());
        assertEquals(overhead, first.history().get(0).overhead());
        assertEquals(10.0, first.history().get(0).sampleRatio());
    }

    @Test
    void aNewFunctionWhoseFirstReportsMeasuredNothingShowsNoFigures() {
        FunctionControl first = stepper.first(Targets.DEFAULT, configured, idle, 1000);
        assertEquals(new ControlStatus(null, null, "prior", false, 1000), first.status());
        assertNull(first.history().get(0).overhead());
        assertNull(first.history().get(0).sampleRatio());
    }

    @Test
    void theSameValuesKeepTheirVersion() {
        PublishedPolicy prior = new PublishedPolicy(0.01, 99, 4);
        assertEquals(4, stepper.first(Targets.DEFAULT, prior, idle, 0).policy().version());
    }

    @Test
    void anExpensivePeriodCutsTheEffort() {
        FunctionControl first = stepper.first(Targets.DEFAULT, configured, idle, 0);
        FunctionControl next = stepper.step(first, Targets.DEFAULT, expensive, 10_000);
        double before = first.policy().fraction() * first.policy().frequencyHz();
        double after = next.policy().fraction() * next.policy().frequencyHz();
        assertTrue(after < before, "effort " + before + " -> " + after);
        assertEquals(3, next.policy().version());
        assertEquals("overhead", next.status().inControl());
        assertTrue(next.status().budgetLimited());
        assertEquals(expensive.measurement().overhead(), next.status().overhead(), 1e-12);
        assertEquals(10.0, next.status().sampleRatio(), 1e-9);
        assertEquals(
                List.of("prior", "overhead"),
                next.history().stream().map(HistoryEntry::inControl).toList());
    }

    @Test
    void anIdlePeriodKeepsThePolicyAndTheLastFigures() {
        FunctionControl stepped =
                stepper.step(stepper.first(Targets.DEFAULT, configured, idle, 0), Targets.DEFAULT, expensive, 10_000);
        FunctionControl quiet = stepper.step(stepped, Targets.DEFAULT, idle, 20_000);
        assertEquals(stepped.policy(), quiet.policy());
        assertEquals("idle", quiet.status().inControl());
        assertEquals(stepped.status().overhead(), quiet.status().overhead());
        assertEquals(20_000, quiet.status().lastStepMillis());
        assertNull(quiet.history().get(quiet.history().size() - 1).overhead());
    }

    @Test
    void historyKeepsTheLastEntries() {
        FunctionControl c = stepper.first(Targets.DEFAULT, configured, idle, 0);
        for (int i = 1; i <= 5; i++) {
            c = stepper.step(c, Targets.DEFAULT, idle, i);
        }
        assertEquals(
                List.of(3L, 4L, 5L),
                c.history().stream().map(HistoryEntry::timeMillis).toList());
    }

    @Test
    void newTargetsClampThePolicyAtOnce() {
        FunctionControl first = stepper.first(Targets.DEFAULT, configured, idle, 0);
        Targets narrow = new Targets(0.01, 600, 19, 49, 0.05);
        FunctionControl clamped = stepper.retarget(first, narrow);
        assertEquals(49, clamped.policy().frequencyHz());
        assertEquals(0.05, clamped.policy().fraction());
        assertEquals(first.policy().version() + 1, clamped.policy().version());
        assertEquals(49, clamped.state().frequencyHz(), "the law goes on from what it published");
        assertEquals(first.status(), clamped.status());
    }

    @Test
    void targetsThatAlreadyHoldChangeNothing() {
        FunctionControl first = stepper.first(Targets.DEFAULT, configured, idle, 0);
        assertSame(first, stepper.retarget(first, Targets.DEFAULT));
    }
}
