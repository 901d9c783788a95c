package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pool is one engine's: a period by another engine (perf refused after a restart, an operator
 * switching perf to async) starts it again, since the costs and efficiency it holds were another
 * engine's. Single steps.
 */
class EngineChangeTest {
    private static final LawConfig CONFIG = LawConfig.DEFAULT;

    /** 60 s of a 20/s function at 50 ms, 10 % traced at 99 Hz: ~600 samples, tracer at the given share. */
    private static Measurement period(String engine, double overhead) {
        return new Measurement(60, 1200, 120, 60, 60 * overhead, 590, 0, engine, 0);
    }

    private static Evidence pool(String engine) {
        Evidence e = Evidence.NONE;
        for (int i = 0; i < 3; i++) {
            e = e.add(period(engine, 0.02), 9.9, 99, CONFIG);
        }
        return e;
    }

    static Stream<Arguments> steps() {
        // pool's engine, period's engine, pool kept?, engine after
        return Stream.of(
                Arguments.of("perf", "perf", true, "perf"),
                Arguments.of("perf", "async", false, "async"),
                Arguments.of("async", "jfr", false, "jfr"),
                Arguments.of("perf", "mixed", false, "mixed"),
                Arguments.of("perf", null, true, "perf"), // a report that names no engine changes nothing
                Arguments.of(null, "async", true, "async")); // a pool from before engines were named is adopted
    }

    @ParameterizedTest(name = "pool {0}, period {1}")
    @MethodSource("steps")
    void aPeriodByAnotherEngineStartsThePoolAgain(String poolEngine, String periodEngine, boolean kept, String after) {
        Evidence before = pool(poolEngine);
        Measurement m = period(periodEngine, 0.02);
        Evidence next = before.add(m, 9.9, 99, CONFIG);
        if (kept) {
            assertTrue(next.count() > Evidence.countOf(m), "the pool keeps its history: " + next);
        } else {
            assertEquals(Evidence.countOf(m), next.count(), 1e-9, "only the new engine's period: " + next);
            assertEquals(m.tracerCpuSeconds(), next.tracerCpuSeconds(), 1e-9);
        }
        assertEquals(after, next.engine());
    }

    /** perf's cost held the guard down; async-profiler's first period lets the effort climb at once. */
    @Test
    void aCheaperEngineIsNotHeldBackByTheCostOfTheLast() {
        ControlLaw law = new ControlLaw(CONFIG);
        Targets targets = new Targets(0.01, 6000, 19, 997, 0.001);
        LawState underPerf = new LawState(0.1, 99, pool("perf"), 10, 0, 0, InControl.OVERHEAD, true, 0.02, 0.1);
        double same = law.step(underPerf, period("perf", 0.001), targets).next().effort();
        double switched =
                law.step(underPerf, period("async", 0.001), targets).next().effort();
        assertTrue(
                switched > 1.5 * same, "async's effort " + switched + " against " + same + " with perf's cost pooled");
    }
}
