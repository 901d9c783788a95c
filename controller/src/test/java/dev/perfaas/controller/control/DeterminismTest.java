package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** No clock, no randomness, no hidden state: the same inputs give the same outputs. */
class DeterminismTest {

    private final Targets targets = new Targets(0.01, 3000, 19, 997, 0.001);
    private final SimulatedFunction plant = SimulatedFunction.of(20, 0.05);

    @Test
    void sameMeasurementsGiveTheSameDecisions() {
        List<ClosedLoop.Period> first = ClosedLoop.run(new ControlLaw(LawConfig.DEFAULT), targets, i -> plant, 50, 42);
        List<ClosedLoop.Period> second = ClosedLoop.run(new ControlLaw(LawConfig.DEFAULT), targets, i -> plant, 50, 42);
        assertEquals(first, second);
    }

    @Test
    void stepIsAPureFunction() {
        ControlLaw law = new ControlLaw(LawConfig.DEFAULT);
        LawState state = ClosedLoop.run(law, targets, i -> plant, 20, 7)
                .get(19)
                .decision()
                .next();
        Measurement m = plant.run(state.fraction(), state.frequencyHz(), 10, new Random(3));
        assertEquals(law.step(state, m, targets), law.step(state, m, targets));
        assertEquals(law.step(state, m, targets), new ControlLaw(LawConfig.DEFAULT).step(state, m, targets));
    }

    /** The controller persists the state field by field (JSON) and resumes from it. */
    @Test
    void resumingFromACopyOfTheStateChangesNothing() {
        ControlLaw law = new ControlLaw(LawConfig.DEFAULT);
        LawState state = ClosedLoop.run(law, targets, i -> plant, 20, 7)
                .get(19)
                .decision()
                .next();
        Evidence e = state.evidence();
        LawState copy = new LawState(
                state.fraction(),
                state.frequencyHz(),
                new Evidence(
                        e.samples(),
                        e.nominalSamples(),
                        e.functionCpuSeconds(),
                        e.invocations(),
                        e.periodSeconds(),
                        e.tracerCpuSeconds(),
                        e.effortFunctionCpuSeconds(),
                        e.count(),
                        e.awaitedNominalSamples(),
                        e.fixedTracerCpuSeconds(),
                        e.engine()),
                state.periodsSinceFrequencyChange(),
                state.fractionHighPeriods(),
                state.fractionLowPeriods(),
                InControl.valueOf(state.inControl().name()),
                state.budgetLimited(),
                state.overhead(),
                state.sampleRatio());
        List<ClosedLoop.Period> original = ClosedLoop.continueFrom(law, state, targets, i -> plant, 30, new Random(9));
        List<ClosedLoop.Period> resumed = ClosedLoop.continueFrom(law, copy, targets, i -> plant, 30, new Random(9));
        assertEquals(original, resumed);
    }
}
