package dev.perfaas.controller.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Profiles of slow calls, stored in {@code <function>/slow/} within a per-function rate limit
 * (perfaas.slow-calls.per-minute after a burst of perfaas.slow-calls.burst). What is known of the
 * call is the file's first line, {@value #MARK} and a JSON object, written by the controller from
 * the upload's checked headers: the files alone answer the listing, after a restart too.
 */
@ApplicationScoped
public class SlowCalls {

    public static final String SHELF = "slow";
    static final String MARK = "# perfaas slow call ";
    /** The call ids taken: 1-128 printable ASCII characters, no space (OpenFaaS' are UUIDs). */
    private static final Pattern CALL_ID = Pattern.compile("[!-~]{1,128}");
    /** A day: past it the latency is not a measurement. */
    private static final double MAX_LATENCY_MILLIS = 86_400_000;
    /** The first line is ours and short; a longer one is not read further. */
    private static final int MAX_MARK_CHARS = 1024;

    /** What the listing says of one slow call; {@code path} is FlameScope's, relative to the stacks directory. */
    public record SlowCall(
            String path,
            String instance,
            String callId,
            double latencyMillis,
            long thresholdMillis,
            boolean ended,
            Instant startedAt,
            Instant storedAt) {}

    /** The first line's object. */
    record Mark(
            String instance,
            String callId,
            double latencyMillis,
            long thresholdMillis,
            boolean ended,
            Instant startedAt) {}

    private final ProfileIntake intake;
    private final FunctionRegistry registry;
    private final ProfileStore store;
    private final ObjectMapper json;
    private final int perMinute;
    private final int burst;

    public SlowCalls(
            ProfileIntake intake,
            ProfileStore store,
            FunctionRegistry registry,
            PerfaasConfig config,
            ObjectMapper json) {
        this.intake = intake;
        this.store = store;
        this.registry = registry;
        this.json = json;
        this.perMinute = config.slowCalls().perMinute();
        this.burst = config.slowCalls().burst();
    }

    /**
     * Stores a slow call's profile, {@code header} naming its function and instance. Headers are
     * checked, and the rate taken, before the body is read.
     */
    public StoredProfile accept(
            ProfileHeader header,
            String window,
            String callId,
            String latency,
            String threshold,
            String ended,
            String contentEncoding,
            InputStream body)
            throws IOException {
        List<String> problems = new ArrayList<>();
        if (callId != null && !CALL_ID.matcher(callId).matches()) {
            problems.add("X-Perfaas-Call-Id must be 1-128 printable ASCII characters without spaces");
        }
        double latencyMillis = number(latency, "X-Perfaas-Latency-Millis", MAX_LATENCY_MILLIS, problems);
        double thresholdMillis =
                number(threshold, "X-Perfaas-Threshold-Millis", Targets.MAX_SLOW_CALL_MILLIS, problems);
        if (thresholdMillis != Math.rint(thresholdMillis) || thresholdMillis < 1) {
            problems.add("X-Perfaas-Threshold-Millis must be a whole number of ms >= 1");
        }
        if (ended != null && !ended.equals("true") && !ended.equals("false")) {
            problems.add("X-Perfaas-Call-Ended must be true or false");
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("slow call refused: " + String.join("; ", problems));
        }
        String function = header.function();
        String instance = header.instance();
        long waitMillis = registry.takeSlowCall(function, instance, perMinute, burst);
        if (waitMillis > 0) {
            throw ApiException.tooManyRequests(
                    Refusal.SLOW_CALL_RATE,
                    "function \"" + function + "\" has had its "
                            + burst + " slow calls stored recently, the most perfaas.slow-calls.per-minute ("
                            + perMinute
                            + ") and burst allow: this one is not stored",
                    (waitMillis + 999) / 1000);
        }
        // Parsed once: without a usable header the upload time names both the file and the mark.
        Instant startedAt = ProfileIntake.windowStart(window);
        Mark mark =
                new Mark(instance, callId, latencyMillis, (long) thresholdMillis, !"false".equals(ended), startedAt);
        return intake.accept(
                header, SHELF, startedAt, MARK + json.writeValueAsString(mark) + "\n", contentEncoding, body);
    }

    private static double number(String value, String header, double max, List<String> problems) {
        try {
            double v = Double.parseDouble(value == null ? "" : value.trim());
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        problems.add(header + " must be a number in [0, " + (long) max + "], got "
                + (value == null ? "none" : "\"" + value + "\""));
        return 0;
    }

    /** The function's latest slow calls, newest stored first, at most {@code limit}; retention's index says which are stored. */
    public List<SlowCall> latest(String function, int limit) throws IOException {
        List<SlowCall> latest = new ArrayList<>();
        for (Retention.Stored stored : store.retention().newest(function, SHELF, Integer.MAX_VALUE)) {
            if (latest.size() == limit) {
                break;
            }
            Mark mark = mark(store.root().resolve(function).resolve(stored.name()));
            if (mark != null) {
                latest.add(new SlowCall(
                        function + "/" + stored.name(),
                        mark.instance(),
                        mark.callId(),
                        mark.latencyMillis(),
                        mark.thresholdMillis(),
                        mark.ended(),
                        mark.startedAt(),
                        Instant.ofEpochMilli(stored.storedMillis())));
            }
        }
        return latest;
    }

    /** The file's mark, or null when it has none (a file put there by hand) or it went meanwhile. */
    private Mark mark(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), MAX_MARK_CHARS)) {
            char[] buffer = new char[MAX_MARK_CHARS];
            int n = in.read(buffer, 0, MAX_MARK_CHARS);
            String head = n <= 0 ? "" : new String(buffer, 0, n);
            int end = head.indexOf('\n');
            if (!head.startsWith(MARK) || end < 0) {
                return null;
            }
            return json.readValue(head.substring(MARK.length(), end), Mark.class);
        } catch (NoSuchFileException evicted) {
            return null;
        } catch (JsonProcessingException unreadable) {
            return null;
        }
    }
}
