package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hook's buckets into Prometheus's: one bucket at a time, then reports adding up. */
class DurationsTest {

    static Stream<Arguments> hookBucketToBound() {
        return Stream.of(
                Arguments.of("0 ns: the first bound", 0L, 0),
                Arguments.of("[786432, 917504) ns: all under 1 ms", 786_432L, 0),
                Arguments.of("[917504, 1048576) ns straddles 1 ms: the next bound", 917_504L, 1),
                Arguments.of("[1048576, 1310720) ns: 5 ms", 1_048_576L, 1),
                Arguments.of("[3.7, 4.2) ms: 5 ms", 3_670_016L, 1),
                Arguments.of("[4.2, 5.2) ms straddles 5 ms: 10 ms", 4_194_304L, 2),
                Arguments.of("[0.94, 1.07) s straddles 1 s: 2.5 s", 939_524_096L, 9),
                Arguments.of("[51.5, 60.1) s straddles 60 s: +Inf", 51_539_607_552L, 13),
                Arguments.of("[34.4, 42.9) s: 60 s", 34_359_738_368L, 12),
                Arguments.of("an hour: +Inf", 3_435_973_836_800L, 13));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hookBucketToBound")
    void aHookBucketIsCountedAtTheFirstBoundItLiesWhollyUnder(String name, long lower, int bound) {
        assertEquals(bound, Durations.bound(lower));
        long highest = HookBuckets.upperBound(lower) - 1;
        if (bound < Durations.BOUNDS_SECONDS.size()) {
            assertTrue(highest <= Durations.BOUNDS_SECONDS.get(bound) * 1e9, "under its bound");
        }
        if (bound > 0) {
            assertTrue(highest > Durations.BOUNDS_SECONDS.get(bound - 1) * 1e9, "not under the bound before");
        }
    }

    @Test
    void reportsAddUpCumulatively() {
        Durations d = new Durations();
        d.add(List.of(new long[] {786_432, 3}, new long[] {1_048_576, 2}), 6_000_000);
        d.add(List.of(new long[] {939_524_096, 1}, new long[] {51_539_607_552L, 1}), 52_000_000_000L);
        d.add(null, 0); // a report from a hook that kept no buckets

        Durations.Snapshot s = d.snapshot();

        assertArrayEquals(new long[] {3, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 7}, s.cumulative());
        assertEquals(7, s.count());
        assertEquals(52.006, s.sumSeconds(), 1e-9);
    }
}
