package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One step of the law as a decision table, in the manner of Kubernetes' HPA replica calculator tests:
 * each row is a measurement and a state, and the decision they must give. The law runs with unit
 * gains (dead-beat: a step lands on the effort the model says meets the target), so the expected
 * values can be worked out by hand from the rows; the arithmetic is in each row's comment.
 *
 * <p>The base period: 10 s, 990 invocations of which 10 traced, 10 s of function CPU (one busy core),
 * 10 samples. The traced CPU at 99 Hz is worth 99 x 10/990 x 10 = 10 nominal samples, so the pooled
 * efficiency is (10 + 10) / (10 + 10) = 1 and the model predicts effort x 1 samples per second. Run at
 * 1 % and 99 Hz (effort 0.99), it predicts 0.99 samples a second, 59.4 a minute.
 */
class ControlLawStepTest {
    private static final ControlLaw LAW =
            new ControlLaw(new LawConfig(1.0, 1.0, 0.9, Math.log(3), 2000, 30, 4.0, 2, 6, 1.5, 0.01, 99));
    private static final double ON_TARGET = 59.4;

    record Row(
            String name,
            LawState previous,
            Measurement m,
            Targets targets,
            double fraction,
            int frequencyHz,
            InControl inControl,
            boolean budgetLimited) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                // demand = 0.99 x 59.4/59.4 = 0.99: nothing to change. (The fraction is the effort over 99 Hz.)
                new Row(
                        "on target: holds",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.0001, 0),
                        targets(0.01, ON_TARGET),
                        0.01,
                        99,
                        InControl.SAMPLES,
                        false),
                // demand = 0.99 / 2 = 0.495: half the fraction.
                new Row(
                        "twice the samples wanted: halves the fraction",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.0001, 0),
                        targets(0.01, ON_TARGET / 2),
                        0.005,
                        99,
                        InControl.SAMPLES,
                        false),
                // demand = 0.99 x 600/59.4 = 10, capped at 3 x 0.99 = 2.97 a step: fraction 0.03.
                new Row(
                        "far too few samples: climbs by the step limit",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.0001, 0),
                        targets(0.01, 600),
                        0.03,
                        99,
                        InControl.SAMPLES,
                        false),
                // overhead 0.05/10 = 0.005 against a setpoint of 0.9 x 0.01: 0.99 x 0.009/0.005 = 1.782,
                // below the sample loop's 2.97: the guard sets the effort.
                new Row(
                        "the guard binds before the sample target",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.05, 0),
                        targets(0.01, 600),
                        0.018,
                        99,
                        InControl.OVERHEAD,
                        true),
                // overhead 0.02, over the 0.01 ceiling: 0.99 x 0.009/0.02 = 0.4455 (0.0045 at 99 Hz), though the
                // samples are on target.
                new Row(
                        "over the ceiling: backs off though on target",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.2, 0),
                        targets(0.01, ON_TARGET),
                        0.0045,
                        99,
                        InControl.OVERHEAD,
                        true),
                // The fixed part alone (0.1/10 = 0.01) is over the setpoint: the effort goes to its floor, the
                // fraction to minFraction (the frequency waits for a second saturated period).
                new Row(
                        "fixed cost over the setpoint: effort to its floor",
                        state(0.01, 99, InControl.SAMPLES),
                        base(0.1, 0.1),
                        targets(0.01, ON_TARGET),
                        0.001,
                        99,
                        InControl.OVERHEAD,
                        true),
                // From half at 99 Hz (effort 49.5, 2,970 samples a minute predicted) towards 600,000 a minute: the
                // step limit gives 148.5, a fraction of 1.5, stopped at the cap (0.8) so the hook keeps its
                // control group; one period over is not a trend, so the frequency stays.
                new Row(
                        "wants more than the cap: the fraction stops at 0.8",
                        state(0.5, 99, InControl.SAMPLES),
                        base(0.0001, 0),
                        targets(0.01, 600_000),
                        Targets.MAX_FRACTION,
                        99,
                        InControl.SAMPLES,
                        false),
                // No invocations: nothing learnt, the policy stays.
                new Row(
                        "idle: keeps the policy",
                        state(0.01, 99, InControl.SAMPLES),
                        idle(),
                        targets(0.01, 600),
                        0.01,
                        99,
                        InControl.IDLE,
                        false),
                new Row(
                        "idle before any data: still the prior",
                        state(0.01, 99, InControl.PRIOR),
                        idle(),
                        targets(0.01, 600),
                        0.01,
                        99,
                        InControl.PRIOR,
                        false),
                // Targets now stop at 49 Hz: the kept policy is brought inside them.
                new Row(
                        "idle under new targets: the frequency moves inside them",
                        state(0.01, 99, InControl.SAMPLES),
                        idle(),
                        new Targets(0.01, 600, 19, 49, 0.001),
                        0.01,
                        49,
                        InControl.IDLE,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void oneStep(Row row) {
        Decision d = LAW.step(row.previous(), row.m(), row.targets());
        assertAll(
                row.name(),
                () -> assertEquals(row.fraction(), d.fraction(), 1e-9, "fraction"),
                () -> assertEquals(row.frequencyHz(), d.frequencyHz(), "frequencyHz"),
                () -> assertEquals(row.inControl(), d.inControl(), "inControl"),
                () -> assertEquals(row.budgetLimited(), d.budgetLimited(), "budgetLimited"));
    }

    private static LawState state(double fraction, int frequencyHz, InControl inControl) {
        return new LawState(fraction, frequencyHz, Evidence.NONE, 6, 0, 0, inControl, false, 0, 0);
    }

    /** The base period, with this much tracer CPU, of which this much fixed. */
    private static Measurement base(double tracerCpuSeconds, double fixedTracerCpuSeconds) {
        return new Measurement(10, 990, 10, 10, tracerCpuSeconds, 10, 0, "perf", fixedTracerCpuSeconds);
    }

    private static Measurement idle() {
        return new Measurement(10, 0, 0, 0, 0, 0);
    }

    private static Targets targets(double maxOverhead, double samplesPerMinute) {
        return new Targets(maxOverhead, samplesPerMinute, 19, 997, 0.001);
    }
}
