package dev.perfaas.flamescope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a profile file as Netflix FlameScope does (github.com/Netflix/flamescope, its Python
 * back end): the profile list's type, the heat map and the whole profile's flame graph, each rule
 * written from FlameScope's source and named after its file and function. It answers what
 * FlameScope would show, or throws {@link FlameScopeFailure} where FlameScope would not show the
 * file (listed as another type, or an error that its views answer with HTTP 500). The tests' one
 * definition of "FlameScope opens this profile".
 */
public final class FlameScopeOracle {

    private FlameScopeOracle() {}

    /** A file as FlameScope opens it from its profile directory; throws where FlameScope would fail. */
    public static Reading read(Path file) {
        Path absolute = file.toAbsolutePath();
        FileType.checkPath(absolute.toString(), String.valueOf(absolute.getFileName()));
        try {
            return read(absolute.toString(), Files.readAllBytes(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code content}, the bytes of a file called {@code name}; throws where FlameScope would fail. */
    public static Reading read(String name, byte[] content) {
        String type = FileType.listedType(name, content);
        if (!type.equals(FileType.PERF)) {
            throw new FlameScopeFailure(
                    name,
                    "FlameScope's profile list calls it '" + type + "', not 'perf' (libmagic says "
                            + FileType.mime(content) + "; for a perf profile the first line that does not start"
                            + " with '#' must be a sample line), so it is not read as perf script");
        }
        List<String> lines = PythonText.lines(PythonText.decode(name, FileType.text(name, content)));
        HeatMap.Result heatMap = HeatMap.generate(name, HeatMap.readOffsets(name, lines), HeatMap.DEFAULT_ROWS);
        Frame flameGraph = FlameGraph.generate(name, lines);
        return new Reading(
                type, heatMap.start(), heatMap.end(), heatMap.columns(), heatMap.rows(), heatMap.samples(), flameGraph);
    }

    /** The type FlameScope's profile list gives {@code content}: "perf", "trace_event", "nflxprofile" or "unknown". */
    public static String listedType(byte[] content) {
        return FileType.listedType("(bytes)", content);
    }

    /**
     * Every file FlameScope lists under {@code profileDir} (app/controllers/profile_list.py: the whole
     * tree, names starting with '.' skipped), read; throws at the first FlameScope would not show.
     */
    public static Map<Path, Reading> readAll(Path profileDir) {
        Map<Path, Reading> readings = new TreeMap<>();
        try (Stream<Path> files = Files.walk(profileDir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> readings.put(profileDir.relativize(f), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return readings;
    }
}
