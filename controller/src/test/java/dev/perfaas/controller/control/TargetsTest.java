package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetsTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(new Targets(Double.NaN, 600, 19, 997, 0.001), "maxOverhead"),
                Arguments.of(new Targets(0, 600, 19, 997, 0.001), "maxOverhead"),
                Arguments.of(new Targets(-0.01, 600, 19, 997, 0.001), "maxOverhead"),
                Arguments.of(new Targets(0.6, 600, 19, 997, 0.001), "maxOverhead"),
                Arguments.of(new Targets(0.01, Double.NaN, 19, 997, 0.001), "samplesPerMinute"),
                Arguments.of(new Targets(0.01, 0, 19, 997, 0.001), "samplesPerMinute"),
                Arguments.of(new Targets(0.01, -600, 19, 997, 0.001), "samplesPerMinute"),
                Arguments.of(new Targets(0.01, Double.POSITIVE_INFINITY, 19, 997, 0.001), "samplesPerMinute"),
                Arguments.of(new Targets(0.01, 1e308, 19, 997, 0.001), "samplesPerMinute must be a positive"),
                Arguments.of(new Targets(0.01, 1e8 + 1, 19, 997, 0.001), "samplesPerMinute"),
                Arguments.of(new Targets(0.01, 600, 19, 100_001, 0.001), "maxFrequencyHz must be at most 100000"),
                Arguments.of(new Targets(0.01, 600, -19, 997, 0.001), "minFrequencyHz must be at least 1"),
                Arguments.of(new Targets(0.01, 600, 997, 19, 0.001), "must not exceed maxFrequencyHz"),
                Arguments.of(new Targets(0.01, 600, 120, 180, 0.001), "no ladder frequency"),
                Arguments.of(new Targets(0.01, 600, 19, 997, 0), "minFraction"),
                Arguments.of(new Targets(0.01, 600, 19, 997, -0.1), "minFraction"),
                Arguments.of(new Targets(0.01, 600, 19, 997, 1.5), "minFraction"),
                Arguments.of(new Targets(0.01, 600, 19, 997, Double.NaN), "minFraction"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalid")
    void invalidTargetsAreNamed(Targets targets, String problem) {
        List<String> problems = targets.validate();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(problem), problems.get(0));
    }

    static Stream<Targets> valid() {
        return Stream.of(
                Targets.DEFAULT,
                new Targets(0.5, 1, 1, 100000, 1),
                new Targets(0.001, 60000, 499, 499, 0.5),
                new Targets(0.01, 600, 50, 150, 0.001));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validTargetsHaveNoProblems(Targets targets) {
        assertEquals(List.of(), targets.validate());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertEquals(4, new Targets(Double.NaN, 0, 997, 19, 2).validate().size());
    }

    @Test
    void lawRefusesInvalidTargets() {
        ControlLaw law = new ControlLaw(LawConfig.DEFAULT);
        Targets bad = new Targets(0.01, 600, 997, 19, 0.001);
        assertThrows(IllegalArgumentException.class, () -> law.initial(bad));
        LawState state = law.initial(Targets.DEFAULT);
        Measurement m = new Measurement(10, 100, 1, 1, 0.001, 10);
        assertThrows(IllegalArgumentException.class, () -> law.step(state, m, bad));
    }
}
