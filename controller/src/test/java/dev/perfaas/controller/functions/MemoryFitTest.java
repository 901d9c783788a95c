package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemoryFitTest {

    // Each row: tags, bytes, then slope, intercept, error (median |residual|), explained, points.
    static Stream<Arguments> fits() {
        return Stream.of(
                // on a line: exact
                Arguments.of(new long[] {1, 2, 3, 4}, new long[] {110, 210, 310, 410}, 100.0, 10.0, 0.0, 1.0, 4),
                // one wild point (a GC-heavy call) does not move the line, it only widens the error
                Arguments.of(
                        new long[] {1, 2, 3, 4, 5}, new long[] {100, 200, 300, 400, 5000}, 100.0, 0.0, 0.0, 0.0, 5),
                // memory that does not follow the input: flat line, nothing explained
                Arguments.of(new long[] {1, 2, 3, 4}, new long[] {50, 50, 50, 50}, 0.0, 50.0, 0.0, 0.0, 4),
                // repeated inputs count once per pair with a different input
                Arguments.of(
                        new long[] {10, 10, 20, 20}, new long[] {1000, 1000, 2000, 2000}, 100.0, 0.0, 0.0, 1.0, 4));
    }

    @ParameterizedTest
    @MethodSource("fits")
    void fitsARobustLine(
            long[] tags, long[] bytes, double slope, double intercept, double error, double explained, int points) {
        MemoryFit fit = MemoryFit.theilSen(tags, bytes);
        assertEquals(slope, fit.bytesPerUnit(), 1e-9, "slope");
        assertEquals(intercept, fit.intercept(), 1e-9, "intercept");
        assertEquals(error, fit.error(), 1e-9, "error");
        assertEquals(explained, fit.explained(), 1e-9, "explained");
        assertEquals(points, fit.points());
    }

    @ParameterizedTest
    @MethodSource("noFits")
    void noLineWithoutTwoDifferentTags(long[] tags, long[] bytes) {
        assertNull(MemoryFit.theilSen(tags, bytes));
    }

    static Stream<Arguments> noFits() {
        return Stream.of(
                Arguments.of(new long[0], new long[0]),
                Arguments.of(new long[] {5}, new long[] {9}),
                Arguments.of(new long[] {5, 5, 5}, new long[] {1, 2, 3}));
    }

    @ParameterizedTest
    @MethodSource("many")
    void manyPointsAreFittedOnAStride(int n, int fitted) {
        long[] tags = new long[n];
        long[] bytes = new long[n];
        Arrays.setAll(tags, i -> i);
        Arrays.setAll(bytes, i -> 7L * i + 3);
        MemoryFit fit = MemoryFit.theilSen(tags, bytes);
        assertEquals(fitted, fit.points());
        assertEquals(7.0, fit.bytesPerUnit(), 1e-9);
        assertEquals(3.0, fit.intercept(), 1e-9);
    }

    static Stream<Arguments> many() {
        return Stream.of(Arguments.of(400, 400), Arguments.of(401, 201), Arguments.of(6400, 400));
    }
}
