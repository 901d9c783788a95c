package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MeasurementTest {

    static Stream<Arguments> nonsense() {
        return Stream.of(
                Arguments.of("period 0", (Executable) () -> new Measurement(0, 1, 0, 1, 0, 0)),
                Arguments.of("period NaN", (Executable) () -> new Measurement(Double.NaN, 1, 0, 1, 0, 0)),
                Arguments.of("negative invocations", (Executable) () -> new Measurement(10, -1, 0, 1, 0, 0)),
                Arguments.of("more traced than run", (Executable) () -> new Measurement(10, 1, 2, 1, 0, 0)),
                Arguments.of("negative samples", (Executable) () -> new Measurement(10, 1, 0, 1, 0, -1)),
                Arguments.of("negative CPU", (Executable) () -> new Measurement(10, 1, 0, -1, 0, 0)),
                Arguments.of("NaN tracer CPU", (Executable) () -> new Measurement(10, 1, 0, 1, Double.NaN, 0)),
                Arguments.of("infinite tracer CPU", (Executable)
                        () -> new Measurement(10, 1, 0, 1, Double.NEGATIVE_INFINITY, 0)),
                Arguments.of("negative fixed tracer CPU", (Executable)
                        () -> new Measurement(10, 1, 0, 1, 0, 0, 0, null, -0.001)),
                Arguments.of(
                        "infinite CPU", (Executable) () -> new Measurement(10, 1, 0, Double.POSITIVE_INFINITY, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonsense")
    void nonsenseIsRejectedAtTheBoundary(String name, Executable construction) {
        assertThrows(IllegalArgumentException.class, construction);
    }

    static Stream<Arguments> data() {
        return Stream.of(
                Arguments.of(new Measurement(10, 0, 0, 0, 0.002, 0), false),
                Arguments.of(new Measurement(10, 5, 0, 0, 0, 0), false),
                Arguments.of(new Measurement(10, 0, 0, 1, 0, 0), false),
                Arguments.of(new Measurement(10, 5, 1, 0.5, 0.001, 20), true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("data")
    void onlyPeriodsWithWorkCarryData(Measurement m, boolean hasData) {
        assertEquals(hasData, m.hasData());
    }

    @ParameterizedTest(name = "{0} samples in {1} s at 600 a minute: ratio {2}")
    @CsvSource({"150, 15, 1.0", "15, 15, 0.1", "600, 60, 1.0", "0, 10, 0"})
    void theSampleRatioIsOverThePeriodsOwnLength(long samples, double periodSeconds, double ratio) {
        Measurement m = new Measurement(periodSeconds, 10, 1, 1, 0, samples);
        assertEquals(ratio, m.sampleRatio(Targets.DEFAULT), 1e-12);
    }
}
