package dev.perfaas.controller.loop;

import static dev.perfaas.controller.loop.Reports.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.functions.ReceivedReport;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchGateTest {

    static final long WAIT = 70_000;

    static Stream<Arguments> cases() {
        return Stream.of(
                gate("nothing pending", List.of(), Set.of(), 0, false),
                gate("a first batch goes at once", List.of(at(1, 0, "a")), Set.of(), 0, true),
                gate(
                        "a new function's first batch waits for no other instance",
                        List.of(at(1, 0, "a"), at(2, 500, "b")),
                        Set.of(),
                        500,
                        true),
                gate("the one instance reported again", List.of(at(2, 0, "a")), Set.of("a"), 0, true),
                gate(
                        "one of two instances: wait for the other",
                        List.of(at(3, 0, "a")),
                        Set.of("a", "b"),
                        20_000,
                        false),
                gate(
                        "both of two instances",
                        List.of(at(3, 0, "a"), at(4, 40_000, "b")),
                        Set.of("a", "b"),
                        40_000,
                        true),
                gate(
                        "a new instance joins the batch",
                        List.of(at(5, 0, "a"), at(6, 10_000, "c")),
                        Set.of("a"),
                        10_000,
                        true),
                gate(
                        "the other instance stayed silent a whole window: go without it",
                        List.of(at(7, 0, "a")),
                        Set.of("a", "b"),
                        WAIT,
                        true));
    }

    private static Arguments gate(
            String name, List<ReceivedReport> pending, Set<String> previous, long now, boolean ready) {
        return Arguments.of(Named.of(name, pending), previous, now, ready);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(List<ReceivedReport> pending, Set<String> previous, long now, boolean ready) {
        assertEquals(ready, BatchGate.ready(pending, previous, now, WAIT));
    }
}
