package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The profiles the controller's tests upload open in FlameScope, with every sample in both views. */
class FixturesOpenInFlameScopeTest {

    @Test
    void everyFixtureOpens() {
        Map<Path, Reading> readings =
                FlameScopeOracle.readAll(Stacks.fixturePath().getParent());
        assertEquals(1, readings.size(), readings.keySet().toString());
        Reading shLoop = readings.get(Path.of("sh-loop.perf"));
        assertEquals(Stacks.FIXTURE_SAMPLES, shLoop.heatmapSamples());
        assertEquals(Stacks.FIXTURE_SAMPLES, shLoop.flameGraphSamples());
    }
}
