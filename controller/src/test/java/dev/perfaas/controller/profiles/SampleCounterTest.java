package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.Stacks;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SampleCounterTest {

    @Test
    void countsTheSamplesOfARealProfile() {
        byte[] perf = Stacks.fixture();
        SampleCounter counter = new SampleCounter();
        counter.accept(perf, 0, perf.length);
        assertEquals(Stacks.FIXTURE_SAMPLES, counter.samples());
    }

    @Test
    void countsAcrossChunkBoundaries() {
        byte[] perf = "# h\n  sh 1 1.0: 1 cpu-clock:\n\tffff f (m)\n\nsh 1 2.0: 1 cpu-clock:\n\tffff f (m)\n"
                .getBytes(StandardCharsets.UTF_8);
        SampleCounter counter = new SampleCounter();
        for (int i = 0; i < perf.length; i++) {
            counter.accept(perf, i, 1);
        }
        assertEquals(2, counter.samples());
    }
}
