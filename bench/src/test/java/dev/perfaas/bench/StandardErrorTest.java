package dev.perfaas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StandardErrorTest {
    @Test
    void isTheSampleDeviationOverTheRootOfTheCount() {
        // mean 5, squared deviations 9+1+1+9 = 20, variance 20/3, over 4 rounds: sqrt(20/3/4)
        assertEquals(Math.sqrt(20.0 / 3 / 4), ControlLoopBench.standardError(new double[] {2, 4, 6, 8}), 1e-12);
        assertEquals(0, ControlLoopBench.standardError(new double[] {1.5, 1.5, 1.5}), 1e-12);
        assertTrue(Double.isNaN(ControlLoopBench.standardError(new double[] {3})), "one round tells nothing");
    }
}
