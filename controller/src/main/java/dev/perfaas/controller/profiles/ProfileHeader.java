package dev.perfaas.controller.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perfaas.controller.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What perfaas knows of a stored profile beyond its samples, written by the controller into the file as
 * a comment line, {@value #MARK} and a JSON object (FlameScope skips lines starting with '#', as it skips
 * {@code perf script --header}'s): the function, the instance, the engine that sampled it, the
 * function's version, the sampling frequency and the offset from the samples' clock to the epoch. It
 * is the first line of a window profile and the second of a slow call's (after {@link SlowCalls}'
 * mark). {@link #read} takes it back from a stored file; a file stored without one (put there by
 * hand, or before the controller wrote it) reads as its path says, the rest {@link #UNKNOWN} or null.
 *
 * @param function         the function
 * @param instance         the instance that sent it
 * @param engine           {@code async}, {@code async-cpu}, {@code perf}, {@code jfr}, {@code host-perf}, {@code stack-walk}
 *                         (slow calls), or {@link #UNKNOWN} (seed uploads)
 * @param version          the function's version label (PERFAAS_VERSION, or its image), or {@link #UNKNOWN}
 * @param frequencyHz      samples a second per sampled thread or CPU, null when unknown
 * @param clockOffsetNanos epoch nanoseconds minus the sample times' clock (CLOCK_MONOTONIC) in
 *                         nanoseconds, null when unknown
 */
public record ProfileHeader(
        String function, String instance, String engine, String version, Double frequencyHz, Long clockOffsetNanos) {

    public static final String MARK = "# perfaas profile ";
    public static final String UNKNOWN = "unknown";
    /** Version labels: image references and release names fit, 1-200 printable ASCII characters, no space. */
    static final Pattern VERSION = Pattern.compile("[!-~]{1,200}");

    static final Pattern ENGINE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** The perf rule's highest rate is far below; this keeps a period of a nanosecond or more. */
    static final double MAX_FREQUENCY_HZ = 1e6;
    /** Header lines are read from at most this many first bytes of a file. */
    static final int MAX_HEAD_BYTES = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The header of an upload from its headers (docs/protocol.md); {@code function} and {@code instance}
     * are valid names, the others as sent (null: not sent). A 400 names every bad header.
     */
    public static ProfileHeader ofUpload(
            String function, String instance, String engine, String version, String frequencyHz, String clockOffset) {
        List<String> problems = new ArrayList<>();
        if (engine != null && !ENGINE.matcher(engine).matches()) {
            problems.add("X-Perfaas-Engine must be 1-32 lowercase letters, digits and '-', starting with a letter");
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            problems.add("X-Perfaas-Version must be 1-200 printable ASCII characters without spaces");
        }
        Double hz = null;
        if (frequencyHz != null) {
            try {
                hz = Double.parseDouble(frequencyHz.trim());
            } catch (NumberFormatException e) {
                hz = Double.NaN;
            }
            if (!(hz > 0 && hz <= MAX_FREQUENCY_HZ)) {
                problems.add("X-Perfaas-Frequency-Hz must be a number in (0, " + (long) MAX_FREQUENCY_HZ + "]");
            }
        }
        Long offset = null;
        if (clockOffset != null) {
            try {
                offset = Long.parseLong(clockOffset.trim());
            } catch (NumberFormatException e) {
                problems.add("X-Perfaas-Clock-Offset-Nanos must be a whole number of nanoseconds");
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("profile refused: " + String.join("; ", problems));
        }
        return new ProfileHeader(
                function, instance, engine == null ? UNKNOWN : engine, version == null ? UNKNOWN : version, hz, offset);
    }

    /** The comment line, its end included; fields in this record's order, a whole frequency without ".0". */
    public String line() {
        ObjectNode o = JSON.createObjectNode();
        o.put("function", function);
        o.put("instance", instance);
        o.put("engine", engine);
        o.put("version", version);
        if (frequencyHz == null) {
            o.putNull("frequencyHz");
        } else if (frequencyHz == Math.rint(frequencyHz)) {
            o.put("frequencyHz", frequencyHz.longValue());
        } else {
            o.put("frequencyHz", frequencyHz);
        }
        o.put("clockOffsetNanos", clockOffsetNanos);
        return MARK + o + "\n";
    }

    /**
     * The header of a stored profile: its {@value #MARK} line among the comment lines that open it (the
     * first {@value #MAX_HEAD_BYTES} bytes), or, without one, function and instance from its path (a file
     * ProfileStore named under {@code <function>/} or {@code <function>/slow/}) and the rest unknown.
     */
    public static ProfileHeader read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(MAX_HEAD_BYTES);
        }
        for (String line : new String(head, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1)) {
            if (!line.startsWith("#")) {
                break;
            }
            if (line.startsWith(MARK)) {
                ProfileHeader h = parse(line.substring(MARK.length()));
                if (h != null) {
                    return h;
                }
            }
        }
        return fromPath(file);
    }

    private static ProfileHeader parse(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            String function = o.path("function").asText(null);
            String instance = o.path("instance").asText(null);
            if (function == null || instance == null) {
                return null;
            }
            return new ProfileHeader(
                    function,
                    instance,
                    o.path("engine").asText(UNKNOWN),
                    o.path("version").asText(UNKNOWN),
                    o.path("frequencyHz").isNumber() ? o.path("frequencyHz").asDouble() : null,
                    o.path("clockOffsetNanos").canConvertToLong()
                            ? o.path("clockOffsetNanos").asLong()
                            : null);
        } catch (IOException e) {
            return null; // not ours after all: read as a file without a header
        }
    }

    private static ProfileHeader fromPath(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null
                && dir.getFileName() != null
                && dir.getFileName().toString().equals(SlowCalls.SHELF)) {
            dir = dir.getParent();
        }
        String function = dir == null || dir.getFileName() == null
                ? UNKNOWN
                : dir.getFileName().toString();
        String instance = UNKNOWN;
        Matcher m = ProfileStore.STORED_NAME.matcher(file.getFileName().toString());
        if (m.matches() && m.group(1).startsWith(function + "-")) {
            instance = m.group(1).substring(function.length() + 1);
        }
        return new ProfileHeader(function, instance, UNKNOWN, UNKNOWN, null, null);
    }
}
