package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guard budgets only the tracer cost the effort moves: what the fixed part (the hook's threads,
 * async-profiler's timer) leaves of the setpoint. Single steps from one period of evidence, at a
 * 1 % ceiling (setpoint 0.9 %), 60 s of function CPU, effort 1 (fraction 0.01 at 99 Hz).
 *
 * <pre>
 *  tracer   of it fixed   guard's effort demand                  why
 *  0.45 %   0             2x     (0.9 / 0.45)                    all of it grows with effort: as before
 *  0.45 %   0.40 %        10x    ((0.9 - 0.40) / 0.05)           a timer's cost: effort is cheap
 *  0.95 %   0.90 %        min    (fixed alone fills the setpoint) nothing the effort can buy
 *  0.40 %   0.40 %        none   (no variable cost measured yet)  the sample loop's step limit rules
 * </pre>
 */
class FixedCostTest {
    private static final Targets TARGETS = new Targets(0.01, 600_000, 19, 997, 0.001);
    private final ControlLaw law = new ControlLaw(LawConfig.DEFAULT);

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of(0.0045, 0.0, Math.log(2)),
                Arguments.of(0.0045, 0.0040, Math.log(10)),
                Arguments.of(0.0095, 0.0090, Double.NEGATIVE_INFINITY),
                Arguments.of(0.0040, 0.0040, Double.POSITIVE_INFINITY));
    }

    @ParameterizedTest(name = "tracer {0}, fixed {1}")
    @MethodSource("steps")
    void theGuardBudgetsWhatTheFixedCostLeaves(double overhead, double fixed, double logDemand) {
        LawState state = new LawState(0.01, 99, Evidence.NONE, 10, 0, 0, InControl.SAMPLES, false, 0, 0);
        // 1000 invocations of 60 ms, 10 traced, 20 samples: the sample loop wants far more (600,000/min).
        Measurement m = new Measurement(60, 1000, 10, 60, 60 * overhead, 20, 0, "async", 60 * fixed);
        LawState next = law.step(state, m, TARGETS).next();
        double effort = next.effort();
        double stepLimit = Math.log(3);
        if (logDemand == Double.NEGATIVE_INFINITY) {
            assertEquals(TARGETS.minFraction() * 19, effort, 1e-9, "the least effort the ladder allows");
            assertTrue(next.budgetLimited());
        } else if (logDemand > stepLimit) {
            assertEquals(3 * 0.99, effort, 1e-9, "the sample loop's step limit (3x a period) rules");
            assertTrue(!next.budgetLimited());
        } else {
            assertEquals(0.99 * Math.exp(LawConfig.DEFAULT.overheadGain() * logDemand), effort, 1e-6);
            assertTrue(next.budgetLimited());
        }
    }
}
