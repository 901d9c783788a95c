package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A new frequency means restarting perf, so the law may change it at most once in 6 periods, and in
 * steady state should not change it at all.
 */
class FrequencyHysteresisTest {

    private static final int SEEDS = 3;
    private static final int PERIODS = 300;
    private static final int SPACING = LawConfig.DEFAULT.minPeriodsBetweenFrequencyChanges();
    private final ControlLaw law = new ControlLaw(LawConfig.DEFAULT);

    /** Every steady case of the other tables: reachable, budget limited, floor over the ceiling. */
    static Stream<Arguments> steadyCases() {
        return Stream.of(
                Arguments.of(0.2, 0.001, 600),
                Arguments.of(0.2, 0.05, 600),
                Arguments.of(0.2, 2.0, 1200),
                Arguments.of(20, 0.001, 600),
                Arguments.of(20, 0.05, 3000),
                Arguments.of(20, 2.0, 120000),
                Arguments.of(2000, 0.001, 3000),
                Arguments.of(2000, 0.05, 60000),
                Arguments.of(2000, 2.0, 600000),
                Arguments.of(20, 0.05, 60000),
                Arguments.of(20, 2.0, 6000000),
                Arguments.of(2000, 0.001, 60000),
                Arguments.of(0.2, 2.0, 60000));
    }

    @ParameterizedTest(name = "{0}/s x {1} s, {2}/min")
    @MethodSource("steadyCases")
    void longSteadyRunChangesFrequencyAtMostOnceInSixPeriods(double rate, double cpu, double samplesPerMinute) {
        Targets t = new Targets(0.01, samplesPerMinute, 19, 997, 0.001);
        for (int s = 0; s < SEEDS; s++) {
            long seed = ClosedLoop.baseSeed() * 1000 + s;
            List<Integer> changes =
                    changes(ClosedLoop.run(law, t, i -> SimulatedFunction.of(rate, cpu), PERIODS, seed));
            assertSpaced(changes);
            // After the initial search (at most 3 changes, 6 periods apart) the frequency stays put, but
            // for one late step up the ladder that a noisy low-count function may take.
            long late = changes.stream().filter(period -> period > 40).count();
            assertTrue(late <= 1, "seed " + seed + ": changes at periods " + changes);
        }
    }

    /**
     * Load swinging 10^4x every 12 periods (200000/s and 20/s at 50 ms, 1000 samples/s wanted) pins
     * the fraction at its floor and at 1 in turn, so the law keeps wanting new frequencies: the
     * spacing must still hold.
     */
    @Test
    void changesStaySpacedUnderALoadThatKeepsPinningTheFraction() {
        Targets t = new Targets(0.01, 60000, 19, 997, 0.001);
        IntFunction<SimulatedFunction> swinging = i -> SimulatedFunction.of((i / 12) % 2 == 0 ? 200000 : 20, 0.05);
        List<Integer> changes = changes(ClosedLoop.run(law, t, swinging, PERIODS, ClosedLoop.baseSeed()));
        assertTrue(changes.size() >= 10, "the load should force changes: " + changes);
        System.out.println("swinging load: frequency changes at periods " + changes);
        assertSpaced(changes);
    }

    @Test
    void oneSaturatedPeriodIsNotATrend() {
        SplitRange split = new SplitRange(LawConfig.DEFAULT);
        FrequencyLadder ladder = FrequencyLadder.within(19, 997);
        LawState steady = state(0.5, 99, 100, 0, 0);

        SplitRange.Split first = split.apply(150, steady, 99, ladder, 0.001, "perf");
        assertEquals(99, first.frequencyHz());
        assertEquals(Targets.MAX_FRACTION, first.fraction(), "the fraction stops at the cap");
        assertEquals(1, first.fractionHighPeriods());

        SplitRange.Split second = split.apply(150, state(0.8, 99, 101, 1, 0), 99, ladder, 0.001, "perf");
        assertEquals(499, second.frequencyHz(), "lowest rung where 150 needs a fraction <= 0.8/1.5");
        assertEquals(150.0 / 499, second.fraction(), 1e-12);
        assertEquals(0, second.periodsSinceFrequencyChange());
        assertEquals(0, second.fractionHighPeriods());
    }

    @Test
    void noChangeWithinSixPeriodsOfTheLast() {
        SplitRange split = new SplitRange(LawConfig.DEFAULT);
        FrequencyLadder ladder = FrequencyLadder.within(19, 997);
        SplitRange.Split blocked = split.apply(150, state(0.8, 99, 4, 5, 0), 99, ladder, 0.001, "perf");
        assertEquals(99, blocked.frequencyHz());
        assertEquals(5, blocked.periodsSinceFrequencyChange());

        SplitRange.Split allowed = split.apply(150, state(0.8, 99, 5, 5, 0), 99, ladder, 0.001, "perf");
        assertEquals(499, allowed.frequencyHz());
    }

    @Test
    void fractionBelowItsFloorMovesDownTheLadder() {
        SplitRange split = new SplitRange(LawConfig.DEFAULT);
        FrequencyLadder ladder = FrequencyLadder.within(19, 997);
        SplitRange.Split down = split.apply(0.05, state(0.001, 99, 10, 0, 1), 99, ladder, 0.001, "perf");
        assertEquals(19, down.frequencyHz(), "highest rung where 0.05 needs a fraction >= 1.5 x 0.001");
        assertEquals(0.05 / 19, down.fraction(), 1e-12);
    }

    /** In-process engines pay for their frequency while nothing is traced: the lowest rung that serves the effort. */
    @Test
    void anEngineThatPaysForItsFrequencyGoesToTheLowestRungThatServes() {
        SplitRange split = new SplitRange(LawConfig.DEFAULT);
        FrequencyLadder ladder = FrequencyLadder.within(19, 997);
        for (String engine : List.of("async", "async-cpu", "jfr")) {
            SplitRange.Split down = split.apply(5, state(0.05, 99, 10, 0, 0), 99, ladder, 0.001, engine);
            assertEquals(19, down.frequencyHz(), engine + ": 5 at 19 Hz needs a fraction of 0.26 <= 1/1.5");
            assertEquals(5.0 / 19, down.fraction(), 1e-12);
            SplitRange.Split held = split.apply(5, state(0.05, 99, 4, 0, 0), 99, ladder, 0.001, engine);
            assertEquals(99, held.frequencyHz(), engine + ": not within six periods of the last change");
            SplitRange.Split stays = split.apply(15, state(0.6, 19, 10, 0, 0), 19, ladder, 0.001, engine);
            assertEquals(
                    19, stays.frequencyHz(), engine + ": 15 at 19 Hz still fits (0.79), and only saturation moves up");
        }
        assertEquals(
                99,
                split.apply(5, state(0.05, 99, 10, 0, 0), 99, ladder, 0.001, "perf")
                        .frequencyHz(),
                "perf pays nothing between traced invocations: it stays");
        assertEquals(
                99,
                split.apply(5, state(0.05, 99, 10, 0, 0), 99, ladder, 0.001, "host-perf")
                        .frequencyHz(),
                "the node agent's perf, off between sampled slots, is perf");
        assertEquals(
                99,
                split.apply(5, state(0.05, 99, 10, 0, 0), 99, ladder, 0.001, null)
                        .frequencyHz(),
                "an engine not named is treated as perf");
    }

    @Test
    void anEngineThatPaysForItsFrequencyStillClimbsWhenTheFractionSaturates() {
        SplitRange split = new SplitRange(LawConfig.DEFAULT);
        FrequencyLadder ladder = FrequencyLadder.within(19, 997);
        SplitRange.Split first = split.apply(20, state(0.8, 19, 10, 0, 0), 19, ladder, 0.001, "async");
        assertEquals(19, first.frequencyHz(), "one saturated period is not a trend");
        SplitRange.Split second = split.apply(20, state(0.8, 19, 11, 1, 0), 19, ladder, 0.001, "async");
        assertEquals(49, second.frequencyHz(), "lowest rung above 19 where 20 needs a fraction <= 0.8/1.5");
    }

    private static LawState state(double fraction, int hz, int sinceChange, int high, int low) {
        return new LawState(fraction, hz, Evidence.NONE, sinceChange, high, low, InControl.SAMPLES, false, 0, 0);
    }

    /** Periods (1-based) after which the law published a new frequency. */
    private static List<Integer> changes(List<ClosedLoop.Period> trace) {
        List<Integer> changes = new ArrayList<>();
        for (ClosedLoop.Period p : trace) {
            if (p.decision().frequencyHz() != p.frequencyHz()) {
                changes.add(p.index() + 1);
            }
        }
        return changes;
    }

    private static void assertSpaced(List<Integer> changes) {
        for (int i = 1; i < changes.size(); i++) {
            assertTrue(changes.get(i) - changes.get(i - 1) >= SPACING, "changes at periods " + changes);
        }
    }
}
