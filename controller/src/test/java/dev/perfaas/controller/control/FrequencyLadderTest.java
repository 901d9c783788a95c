package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrequencyLadderTest {

    @ParameterizedTest(name = "[{0}, {1}] -> {2}..{3}")
    @CsvSource({"19, 997, 19, 997", "20, 998, 49, 997", "50, 500, 99, 499", "1, 100000, 19, 997", "199, 199, 199, 199"})
    void clipsToTheOperatorsRange(int min, int max, int lowest, int highest) {
        FrequencyLadder ladder = FrequencyLadder.within(min, max);
        assertEquals(lowest, ladder.lowest());
        assertEquals(highest, ladder.highest());
    }

    @Test
    void rangeWithoutARungIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrequencyLadder.within(120, 180));
    }

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"100, 99", "1000, 997", "140, 99", "141, 199", "5, 19", "5000, 997"})
    void nearestRungOnALogScale(double hz, int rung) {
        assertEquals(rung, FrequencyLadder.within(19, 997).nearest(hz));
    }

    @ParameterizedTest(name = "effort {1} from {0} Hz -> {3} Hz")
    @CsvSource({"99, 150, 0.667, 499", "99, 120, 0.667, 199", "99, 5000, 0.667, 997", "997, 5000, 0.667, 997"})
    void upLandsOnTheLowestRungWithRoom(int current, double effort, double maxFraction, int expected) {
        assertEquals(expected, FrequencyLadder.within(19, 997).up(current, effort, maxFraction));
    }

    @ParameterizedTest(name = "effort {1} from {0} Hz -> {3} Hz")
    @CsvSource({"499, 0.1, 0.0015, 49", "499, 0.05, 0.0015, 19", "499, 0.001, 0.0015, 19", "19, 0.001, 0.0015, 19"})
    void downLandsOnTheHighestRungWithRoom(int current, double effort, double minFraction, int expected) {
        assertEquals(expected, FrequencyLadder.within(19, 997).down(current, effort, minFraction));
    }
}
