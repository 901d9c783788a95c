package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every profile a controller stored, as FlameScope reads it. */
final class StoredProfiles {

    private StoredProfiles() {}

    /** The window profiles stored in a function's folder ({@code stacks/<function>}), by name. */
    static List<Path> in(Path functionDir) throws IOException {
        if (!Files.isDirectory(functionDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(functionDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".perf"))
                    .sorted()
                    .toList();
        }
    }

    /** The first of them, or null while there is none. */
    static Path first(Path functionDir) throws IOException {
        List<Path> stored = in(functionDir);
        return stored.isEmpty() ? null : stored.get(0);
    }

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
