package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A function never seen before starts from a conservative prior: 1 % of invocations at 99 Hz. */
class PriorTest {

    private final ControlLaw law = new ControlLaw(LawConfig.DEFAULT);

    @Test
    void newFunctionStartsLowInTheMiddleOfTheLadder() {
        LawState prior = law.initial(Targets.DEFAULT);
        assertEquals(0.01, prior.fraction());
        assertEquals(99, prior.frequencyHz());
        assertEquals(InControl.PRIOR, prior.inControl());
        assertEquals("prior", prior.inControl().label());
        assertFalse(prior.budgetLimited());
        assertSame(Evidence.NONE, prior.evidence());
    }

    @ParameterizedTest(name = "[{0}, {1}] Hz, minFraction {2} -> {3} x {4} Hz")
    @CsvSource({
        "19, 997, 0.001, 0.01, 99",
        "199, 997, 0.001, 0.01, 199",
        "19, 49, 0.001, 0.01, 49",
        "19, 997, 0.05, 0.05, 99",
        "499, 499, 1.0, 0.8, 499" // a minFraction above the cap counts as the cap
    })
    void priorRespectsTheTargets(int minHz, int maxHz, double minFraction, double fraction, int hz) {
        LawState prior = law.initial(new Targets(0.01, 600, minHz, maxHz, minFraction));
        assertEquals(fraction, prior.fraction());
        assertEquals(hz, prior.frequencyHz());
    }

    /** The same prior effort at the lowest rung for engines that pay for their frequency while idle. */
    @ParameterizedTest(name = "{0}: [{1}, {2}] Hz -> {3} x {4} Hz")
    @CsvSource({
        "async, 19, 997, 0.0521052631578947, 19",
        "jfr, 49, 997, 0.0202040816326531, 49",
        "async, 499, 997, 0.0019839679358717, 499",
        "perf, 19, 997, 0.01, 99"
    })
    void anEngineThatPaysForItsFrequencyStartsAtTheLowestRung(
            String engine, int minHz, int maxHz, double fraction, int hz) {
        LawState prior = law.initial(new Targets(0.01, 600, minHz, maxHz, 0.001), engine);
        assertEquals(fraction, prior.fraction(), 1e-12);
        assertEquals(hz, prior.frequencyHz());
    }

    @Test
    void noTrafficYetKeepsThePrior() {
        LawState prior = law.initial(Targets.DEFAULT);
        Decision d = law.step(prior, new Measurement(10, 0, 0, 0, 0.002, 0), Targets.DEFAULT);
        assertEquals(InControl.PRIOR, d.inControl());
        assertEquals(prior, d.next());
    }

    /**
     * The first period of every non-floor function of the grid costs under half the ceiling (at
     * 0.2/s a period may hold a single 2 s invocation, and perf's baseline is then 0.1 % by itself).
     */
    @ParameterizedTest(name = "{0}/s x {1} s")
    @CsvSource({"0.2, 2", "20, 0.05", "20, 2", "2000, 0.001", "2000, 0.05", "2000, 2"})
    void firstPeriodUnderThePriorIsCheap(double rate, double cpu) {
        for (int s = 0; s < 5; s++) {
            List<ClosedLoop.Period> first = ClosedLoop.run(
                    law, Targets.DEFAULT, i -> SimulatedFunction.of(rate, cpu), 1, ClosedLoop.baseSeed() * 1000 + s);
            assertTrue(
                    first.get(0).overhead() < 0.5 * Targets.DEFAULT.maxOverhead(),
                    "overhead " + first.get(0).overhead());
        }
    }
}
