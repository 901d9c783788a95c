package dev.perfaas.controller.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void acceptsZeroAndFractionsUpToOne() {
        assertDoesNotThrow(() -> new Policy(0, 99, 60, 10, "perf", 1));
        assertDoesNotThrow(() -> new Policy(1, 99, 60, 10, "perf", 1));
        assertDoesNotThrow(() -> new Policy(0.001, 19, 1, 1, "jfr", 7));
    }

    @Test
    void refusesFractionsOutsideZeroToOne() {
        assertEquals("fraction must be 0 or in (0, 1], got 1.5", refused(1.5, 99, 60, 10, "perf"));
        assertEquals("fraction must be 0 or in (0, 1], got -0.1", refused(-0.1, 99, 60, 10, "perf"));
        assertEquals("fraction must be 0 or in (0, 1], got NaN", refused(Double.NaN, 99, 60, 10, "perf"));
    }

    @Test
    void refusesNonPositiveIntegers() {
        assertEquals("frequencyHz must be a positive integer, got 0", refused(0.1, 0, 60, 10, "perf"));
        assertEquals("windowSeconds must be a positive integer, got -1", refused(0.1, 99, -1, 10, "perf"));
        assertEquals("refreshSeconds must be a positive integer, got 0", refused(0.1, 99, 60, 0, "perf"));
    }

    @Test
    void refusesAMissingEngine() {
        assertEquals("engine must be one of [async, async-cpu, perf, jfr], got  ", refused(0.1, 99, 60, 10, " "));
        assertEquals("engine must be one of [async, async-cpu, perf, jfr], got none", refused(0.1, 99, 60, 10, "none"));
    }

    private static String refused(double fraction, int hz, int window, int refresh, String engine) {
        return assertThrows(IllegalArgumentException.class, () -> new Policy(fraction, hz, window, refresh, engine, 1))
                .getMessage();
    }
}
