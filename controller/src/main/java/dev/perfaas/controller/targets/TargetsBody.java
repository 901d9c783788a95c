package dev.perfaas.controller.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import dev.perfaas.controller.control.Targets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the body of PUT /v1/targets/{function}: a JSON object with all five of the control law's
 * fields, since PUT replaces the targets whole (a partial body would silently inherit values the
 * operator never saw), and optionally slowCallMillis, whose absence means the function's p99, not
 * an inherited value.
 * Unknown fields are refused, not ignored: a misspelt "maxOverHead" must not leave the old ceiling
 * in force. Every problem is named in one answer; nothing changes unless the body is usable.
 */
public final class TargetsBody {

    static final List<String> REQUIRED =
            List.of("maxOverhead", "samplesPerMinute", "minFrequencyHz", "maxFrequencyHz", "minFraction");
    static final String SLOW_CALL_MILLIS = "slowCallMillis";
    /** As the messages name them. */
    private static final String NAMED = String.join(", ", REQUIRED) + ", " + SLOW_CALL_MILLIS + " (optional)";

    private final List<String> problems = new ArrayList<>();

    private TargetsBody() {}

    public static Targets parse(String body, ObjectMapper json) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest(Refusal.INVALID_TARGETS, "empty body: expected a JSON object with " + NAMED);
        }
        JsonNode node = json.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(body);
        if (!node.isObject()) {
            throw ApiException.badRequest(
                    Refusal.INVALID_TARGETS,
                    "expected a JSON object with " + NAMED + ", got "
                            + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        TargetsBody check = new TargetsBody();
        check.unknownFields(node);
        Targets targets = new Targets(
                check.number(node, "maxOverhead"),
                check.number(node, "samplesPerMinute"),
                check.hertz(node, "minFrequencyHz"),
                check.hertz(node, "maxFrequencyHz"),
                check.number(node, "minFraction"),
                check.optionalMillis(node, SLOW_CALL_MILLIS));
        if (check.problems.isEmpty()) {
            check.problems.addAll(targets.validate());
        }
        if (!check.problems.isEmpty()) {
            throw ApiException.badRequest(
                    Refusal.INVALID_TARGETS, "invalid targets: " + String.join("; ", check.problems));
        }
        return targets;
    }

    private void unknownFields(JsonNode node) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REQUIRED.contains(name) && !SLOW_CALL_MILLIS.equals(name)) {
                problems.add("unknown field \"" + name + "\" (the fields are " + NAMED + ")");
            }
        }
    }

    private double number(JsonNode node, String field) {
        JsonNode value = present(node, field);
        if (value == null) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            problems.add(field + " must be a number, got " + value);
            return Double.NaN;
        }
        return value.doubleValue();
    }

    private int hertz(JsonNode node, String field) {
        JsonNode value = present(node, field);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problems.add(field + " must be a whole number of Hz, got " + value);
            return 0;
        }
        return value.intValue();
    }

    private Long optionalMillis(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(field + " must be a whole number of milliseconds or null, got " + value);
            return null;
        }
        return value.longValue();
    }

    private JsonNode present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            problems.add(field + " is missing (PUT replaces all five targets)");
        }
        return value;
    }
}
