package dev.perfaas.controller.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What one period does to the pool, row by row: how much of the old pool it keeps, and what the
 * model then predicts. Every period here is 10 s at effort 0.99 (1 % at 99 Hz) and 99 Hz.
 */
class EvidenceTest {
    private static final LawConfig CONFIG = LawConfig.DEFAULT;

    /** 10 s, 990 invocations, 10 traced, 10 s of CPU, 10 samples: 10 nominal samples (99 x 10/990 x 10). */
    private static final Measurement BASE = new Measurement(10, 990, 10, 10, 0.01, 10, 0, "perf", 0.002);

    record Row(
            String name,
            Evidence pool,
            Measurement m,
            double samples,
            double nominalSamples,
            double functionCpuSeconds,
            double awaitedNominalSamples,
            String engine,
            double samplesPerSecondAt1,
            double fixedOverhead,
            double variableOverheadAt099) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        Evidence one = Evidence.NONE.add(BASE, 0.99, 99, CONFIG);
        // countOf(BASE) = 1 / (1/10 + 1/10 + 1/990) = 4.975; the evidence window (2000) keeps it all, the
        // memory (30 periods) keeps 29/30 of it.
        double keep = 29.0 / 30;
        return Stream.of(
                // Efficiency (10 + 10) / (10 + 10) = 1; 1 x effort 1 x 10 s / 10 s; fixed 0.002/10;
                // variable (0.01 - 0.002)/10 at the pool's own effort.
                new Row("the first period is the pool", Evidence.NONE, BASE, 10, 10, 10, 0, "perf", 1, 0.0002, 0.0008),
                // A second, alike: 29/30 of the first and all of it.
                new Row(
                        "an ordinary period: the memory keeps 29/30",
                        one,
                        BASE,
                        10 * keep + 10,
                        10 * keep + 10,
                        10 * keep + 10,
                        0,
                        "perf",
                        1,
                        0.0002,
                        0.0008),
                // Another engine: the old pool is dropped, the new one is the period alone.
                new Row(
                        "another engine starts afresh",
                        one,
                        new Measurement(10, 990, 10, 10, 0.01, 10, 0, "async", 0.002),
                        10,
                        10,
                        10,
                        0,
                        "async",
                        1,
                        0.0002,
                        0.0008),
                // Ten times the load (100 s of CPU in 10 s) is far past 4 sigma: the period alone, its
                // nominal 99 x 100/990 x 10 = 100 and samples 100, efficiency 1, 10 CPU-seconds a second.
                new Row(
                        "a load shift starts afresh",
                        one,
                        new Measurement(10, 990, 10, 100, 0.1, 100, 0, "perf", 0.02),
                        100,
                        100,
                        100,
                        0,
                        "perf",
                        10,
                        0.0002,
                        0.0008),
                // Traced invocations whose profile is not cut yet: their nominal waits, the samples are not
                // counted against it. The efficiency stays (10 x 29/30 + 10) / (10 x 29/30 + 10) = 1.
                new Row(
                        "samples still to come: their nominal waits",
                        one,
                        new Measurement(10, 990, 10, 10, 0.01, 0, 10, "perf", 0.002),
                        10 * keep,
                        10 * keep,
                        10 * keep + 10,
                        10,
                        "perf",
                        1,
                        0.0002,
                        0.0008),
                // A period whose traced invocations read cheaper than the control group (variable part
                // -0.004 s): the pool keeps it signed, (0.008 x 29/30 - 0.004) / (10 x 29/30 + 10).
                new Row(
                        "a period's negative variable part is pooled as it is",
                        one,
                        new Measurement(10, 990, 10, 10, -0.002, 10, 0, "perf", 0.002),
                        10 * keep + 10,
                        10 * keep + 10,
                        10 * keep + 10,
                        0,
                        "perf",
                        1,
                        0.0002,
                        (0.008 * keep - 0.004) / (10 * keep + 10)),
                // The same period alone: a pool below zero is nothing measurable yet, not a saving.
                new Row(
                        "a pooled variable part below zero counts as zero",
                        Evidence.NONE,
                        new Measurement(10, 990, 10, 10, -0.002, 10, 0, "perf", 0.002),
                        10,
                        10,
                        10,
                        0,
                        "perf",
                        1,
                        0.0002,
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void onePeriod(Row row) {
        Evidence e = row.pool().add(row.m(), 0.99, 99, CONFIG);
        assertAll(
                row.name(),
                () -> assertEquals(row.samples(), e.samples(), 1e-9, "samples"),
                () -> assertEquals(row.nominalSamples(), e.nominalSamples(), 1e-9, "nominalSamples"),
                () -> assertEquals(row.functionCpuSeconds(), e.functionCpuSeconds(), 1e-9, "functionCpuSeconds"),
                () -> assertEquals(
                        row.awaitedNominalSamples(), e.awaitedNominalSamples(), 1e-9, "awaitedNominalSamples"),
                () -> assertEquals(row.engine(), e.engine(), "engine"),
                () -> assertEquals(row.samplesPerSecondAt1(), e.samplesPerSecondAt(1), 1e-9, "samplesPerSecondAt(1)"),
                () -> assertEquals(row.fixedOverhead(), e.fixedOverhead(), 1e-12, "fixedOverhead"),
                () -> assertEquals(
                        row.variableOverheadAt099(), e.variableOverheadAt(0.99), 1e-12, "variableOverheadAt(0.99)"));
    }
}
