package dev.perfaas.controller.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/** Runs the law against a simulated function, period by period, and keeps the trace. */
final class ClosedLoop {

    static final double PERIOD_SECONDS = 10;

    /** One period: the policy it ran under, what was measured, and what the law decided after it. */
    record Period(
            int index,
            double fraction,
            int frequencyHz,
            Measurement measurement,
            Decision decision,
            double expectedSampleRatio,
            double expectedOverhead) {

        double overhead() {
            return decision.overhead();
        }
    }

    /** The base seed of a test run; vary it with -Dperfaas.seed=N to check that nothing flakes. */
    static long baseSeed() {
        return Long.getLong("perfaas.seed", 1L);
    }

    static List<Period> run(
            ControlLaw law, Targets targets, IntFunction<SimulatedFunction> plantAt, int periods, long seed) {
        return continueFrom(law, law.initial(targets), targets, plantAt, periods, new Random(seed));
    }

    static List<Period> continueFrom(
            ControlLaw law,
            LawState state,
            Targets targets,
            IntFunction<SimulatedFunction> plantAt,
            int periods,
            Random random) {
        List<Period> trace = new ArrayList<>();
        for (int i = 0; i < periods; i++) {
            SimulatedFunction plant = plantAt.apply(i);
            Measurement m = plant.run(state.fraction(), state.frequencyHz(), PERIOD_SECONDS, random);
            Decision d = law.step(state, m, targets);
            trace.add(new Period(
                    i,
                    state.fraction(),
                    state.frequencyHz(),
                    m,
                    d,
                    plant.expectedSampleRatio(
                            state.fraction(), state.frequencyHz(), targets.samplesPerMinute(), PERIOD_SECONDS),
                    plant.expectedOverhead(state.fraction(), state.frequencyHz())));
            state = d.next();
        }
        return trace;
    }
}
