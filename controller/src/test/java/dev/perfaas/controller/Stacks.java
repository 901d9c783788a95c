package dev.perfaas.controller;

import dev.perfaas.controller.profiles.ProfileHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * The stored file of the fixture uploaded by {@code instance} of {@code function} without perfaas'
     * profile headers (as a seed upload or curl sends it): the controller's header line, then the body.
     */
    public static byte[] storedFixture(String function, String instance) {
        byte[] line = ProfileHeader.ofUpload(function, instance, null, null, null, null)
                .line()
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = fixture();
        byte[] stored = Arrays.copyOf(line, line.length + body.length);
        System.arraycopy(body, 0, stored, line.length, body.length);
        return stored;
    }

    /**
     * The fixture {@code copies} times over, each copy's samples a second after the one before, so
     * the body stays in time order (the controller refuses samples that go back) however long it is.
     */
    public static byte[] fixtureCopies(int copies) {
        String fixture = new String(fixture(), StandardCharsets.UTF_8);
        StringBuilder body = new StringBuilder();
        for (int copy = 0; copy < copies; copy++) {
            for (String line : fixture.split("\n", -1)) {
                Matcher m = SAMPLE_TIME.matcher(line);
                if (copy > 0 && !line.startsWith("\t") && m.find()) {
                    String later = String.format(Locale.ROOT, "%.6f", Double.parseDouble(m.group(1)) + copy);
                    line = line.substring(0, m.start(1)) + later + line.substring(m.end(1));
                }
                body.append(line).append('\n');
            }
            body.setLength(body.length() - 1);
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final Pattern SAMPLE_TIME = Pattern.compile(" ([0-9]+\\.[0-9]+): ");

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
