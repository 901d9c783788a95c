package dev.perfaas.containers;

import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The FlameScope directory the controller writes: stacks/<function>/<function>-<instance>-<time>.perf. */
final class Profiles {
    /** A frame of pi's hot method, however the engine spells a Java frame (Handler.m, Handler::m, LHandler;::m). */
    static final Pattern PI_FRAME = Pattern.compile("com[./]openfaas[./]function[./]Handler[.:;/]+leibnizPi");

    private Profiles() {}

    static List<Path> of(Path stacks, String function) {
        Path dir = stacks.resolve(function);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".perf"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first stored profile with a frame of the handler's pi method. */
    static Optional<Path> withPiFrames(Path stacks, String function) {
        return of(stacks, function).stream().filter(Profiles::hasPiFrame).findFirst();
    }

    /**
     * Every stored profile of {@code function} opens in FlameScope (the oracle throws naming the first
     * that would not, and why), and one shows pi's frame in FlameScope's flame graph.
     */
    static void openInFlameScope(Path stacks, String function) {
        List<Path> profiles = of(stacks, function);
        boolean piShown = false;
        for (Path profile : profiles) {
            Reading r = FlameScopeOracle.read(profile);
            piShown |= r.flameGraph().names().stream()
                    .anyMatch(n -> PI_FRAME.matcher(n).find());
        }
        if (!piShown) {
            throw new AssertionError("no flame graph shows " + PI_FRAME + " among " + profiles);
        }
    }

    private static boolean hasPiFrame(Path profile) {
        try (Stream<String> lines = Files.lines(profile)) {
            return lines.anyMatch(l -> PI_FRAME.matcher(l).find());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
