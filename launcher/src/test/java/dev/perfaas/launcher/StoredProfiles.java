package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Every profile a controller stored, as FlameScope reads it. */
final class StoredProfiles {

    private StoredProfiles() {}

    /**
     * Every file FlameScope lists under {@code stacks} opens in it (the oracle throws naming the first
     * that would not), and none is empty.
     */
    static Map<Path, Reading> openInFlameScope(Path stacks) {
        if (!Files.isDirectory(stacks)) {
            return Map.of();
        }
        Map<Path, Reading> readings = FlameScopeOracle.readAll(stacks);
        readings.forEach((file, r) -> assertTrue(r.heatmapSamples() > 0, file + " shows no sample in FlameScope"));
        return readings;
    }
}
