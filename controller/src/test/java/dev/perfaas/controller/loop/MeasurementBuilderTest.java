package dev.perfaas.controller.loop;

import static dev.perfaas.controller.loop.Reports.carried;
import static dev.perfaas.controller.loop.Reports.measured;
import static dev.perfaas.controller.loop.Reports.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.functions.ReceivedReport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeasurementBuilderTest {

    static Stream<Arguments> batches() {
        return Stream.of(
                // processCpu 1000 ms, hook 5, perf 20: the function had 995 ms, the tracer 25.
                batch(
                        "one instance, nothing measured per invocation",
                        List.of(window("a", 0, 100, 10, 500, 1000, 5, 20)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 0.995, 0.025, 500, 0, null, 0)),
                batch(
                        "two instances add up over one 60 s period",
                        List.of(window("a", 0, 100, 10, 500, 1000, 5, 20), window("b", 30, 50, 5, 100, 400, 2, 10)),
                        new MeasuredPeriod(60, 2, 2, 150, 15, 1.393, 0.037, 600, 0, null, 0)),
                // Traced: 30 ms over 10 = 3 ms each; control group: 20 ms over 10 = 2 ms; extra 10 x 1 ms.
                batch(
                        "traced invocations cost extra over the control group",
                        List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 30, 10, 20, 10)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 0.985, 0.035, 500, 0, null, 0)),
                batch(
                        "no control group: no extra",
                        List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 30, 10, 0, 0)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 0.995, 0.025, 500, 0, null, 0)),
                batch(
                        "no traced measurement: no extra",
                        List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 0, 0, 20, 10)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 0.995, 0.025, 500, 0, null, 0)),
                // Traced: 10 ms over 10 = 1 ms each; control 2 ms each: extra 10 x -1 ms, kept so that
                // windows of noise around a small cost average out rather than add up.
                batch(
                        "traced cheaper than the control group: a negative extra",
                        List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 10, 10, 20, 10)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 1.005, 0.015, 500, 0, null, 0)),
                // Traced: 0 ms over 10; control 2000 ms over 1: 10 x -2 s, beyond the 1 s the process ran.
                batch(
                        "an extra beyond the process's CPU is bounded by it",
                        List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 0, 10, 2000, 1)),
                        new MeasuredPeriod(60, 1, 1, 100, 10, 1.995, -0.975, 500, 0, null, 0)),
                batch(
                        "a hook busier than the whole process leaves no negative function CPU",
                        List.of(window("a", 0, 1, 1, 0, 3, 5, 0)),
                        new MeasuredPeriod(60, 1, 1, 1, 1, 0, 0.005, 0, 0, null, 0)),
                batch(
                        "zero invocations: the idle case",
                        List.of(window("a", 0, 0, 0, 0, 40, 1, 0), window("b", 0, 0, 0, 0, 40, 1, 0)),
                        new MeasuredPeriod(60, 2, 2, 0, 0, 0.078, 0.002, 0, 0, null, 0)),
                batch(
                        "one instance's six 10 s windows make a 60 s period",
                        Stream.iterate(0, i -> i + 10)
                                .limit(6)
                                .map(s -> measured("a", s, 10, 10, 1, 100, 100, 0, 0, 0, 0, 0, 0))
                                .toList(),
                        new MeasuredPeriod(60, 1, 6, 60, 6, 0.6, 0, 600, 0, null, 0)),
                batch(
                        "three staggered instances with 60 s windows make a 60 s period",
                        List.of(
                                window("a", 0, 10, 1, 100, 100, 0, 0),
                                window("b", 20, 10, 1, 100, 100, 0, 0),
                                window("c", 40, 10, 1, 100, 100, 0, 0)),
                        new MeasuredPeriod(60, 3, 3, 30, 3, 0.3, 0, 300, 0, null, 0)),
                batch(
                        "a carried window's traced invocations await their samples; the other instance's do not",
                        List.of(carried("a", 0, 100, 10, 1000), window("b", 0, 100, 10, 500, 1000, 0, 0)),
                        new MeasuredPeriod(60, 2, 2, 200, 20, 2.0, 0, 500, 10, null, 0)),
                batch(
                        "windows that cover no time still give a usable period",
                        List.of(measured("a", 5, 0, 1, 0, 0, 10, 0, 0, 0, 0, 0, 0)),
                        new MeasuredPeriod(0.001, 1, 1, 1, 0, 0.01, 0, 0, 0, null, 0)));
    }

    private static Arguments batch(String name, List<ReceivedReport> reports, MeasuredPeriod expected) {
        return Arguments.of(Named.of(name, reports), expected);
    }

    @ParameterizedTest
    @MethodSource("batches")
    void buildsTheMeasurement(List<ReceivedReport> reports, MeasuredPeriod expected) {
        MeasuredPeriod actual = MeasurementBuilder.build(reports);
        assertEquals(expected.periodSeconds(), actual.periodSeconds(), 1e-9, "periodSeconds");
        assertEquals(expected.instances(), actual.instances(), "instances");
        assertEquals(expected.reports(), actual.reports(), "reports");
        assertEquals(expected.invocations(), actual.invocations(), "invocations");
        assertEquals(expected.traced(), actual.traced(), "traced");
        assertEquals(expected.functionCpuSeconds(), actual.functionCpuSeconds(), 1e-9, "functionCpuSeconds");
        assertEquals(expected.tracerCpuSeconds(), actual.tracerCpuSeconds(), 1e-9, "tracerCpuSeconds");
        assertEquals(expected.samples(), actual.samples(), "samples");
        assertEquals(expected.tracedAwaitingSamples(), actual.tracedAwaitingSamples(), "tracedAwaitingSamples");
    }

    @Test
    void overheadIsTracerOverFunctionCpu() {
        var m = MeasurementBuilder.build(List.of(measured("a", 0, 60, 100, 10, 500, 1000, 5, 20, 30, 10, 20, 10)))
                .measurement();
        assertTrue(m.hasData());
        assertEquals(0.035 / 0.985, m.overhead(), 1e-12);
    }

    @Test
    void theBatchNamesItsEngineMixedWhenInstancesDiffer() {
        assertEquals(
                "async",
                MeasurementBuilder.build(List.of(Reports.by("async", "a"), Reports.by("async", "b")))
                        .engine());
        assertEquals(
                "mixed",
                MeasurementBuilder.build(List.of(Reports.by("async", "a"), Reports.by("perf", "b")))
                        .engine());
        assertEquals(
                "jfr",
                MeasurementBuilder.build(List.of(Reports.by("jfr", "a"), Reports.by(null, "b")))
                        .engine());
        assertEquals(
                null, MeasurementBuilder.build(List.of(Reports.by(null, "a"))).engine());
    }

    @Test
    void aBatchWithoutInvocationsHasNoData() {
        assertFalse(MeasurementBuilder.build(List.of(window("a", 0, 0, 0, 0, 40, 1, 0)))
                .measurement()
                .hasData());
    }

    @Test
    void anEmptyBatchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MeasurementBuilder.build(List.of()));
    }
}
