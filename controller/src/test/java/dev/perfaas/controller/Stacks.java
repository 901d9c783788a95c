package dev.perfaas.controller;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Test helpers around the stacks directory and the perf script fixture. */
public final class Stacks {

    /** Real `perf script --header` output of a shell loop: 4482 bytes, 23 samples. */
    public static final String FIXTURE = "/profiles/sh-loop.perf";

    public static final int FIXTURE_SAMPLES = 23;

    private Stacks() {}

    public static byte[] fixture() {
        try (InputStream in = Stacks.class.getResourceAsStream(FIXTURE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path fixturePath() {
        try {
            return Path.of(Stacks.class.getResource(FIXTURE).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code unit} {@code times} over, gzipped as it is written: a body larger than it is worth holding. */
    public static byte[] gzip(byte[] unit, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int perBlock = Math.max(1, 64 * 1024 / unit.length);
        byte[] block =
                new String(unit, StandardCharsets.ISO_8859_1).repeat(perBlock).getBytes(StandardCharsets.ISO_8859_1);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            for (int i = 0; i < times / perBlock; i++) {
                gz.write(block);
            }
            for (int i = 0; i < times % perBlock; i++) {
                gz.write(unit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Removes everything under {@code root}, keeping {@code root}. */
    public static void clean(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and directory under {@code root}, dot-named ones included, relative and '/'-separated. */
    public static List<String> entries(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
