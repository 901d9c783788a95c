package dev.perfaas.controller.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.control.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetsBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELDS =
            "maxOverhead, samplesPerMinute, minFrequencyHz, maxFrequencyHz, minFraction, slowCallMillis (optional)";
    private static final String GOOD =
            "{\"maxOverhead\":0.02,\"samplesPerMinute\":300,\"minFrequencyHz\":19,\"maxFrequencyHz\":49,"
                    + "\"minFraction\":0.01}";

    @Test
    void readsAllFiveFields() throws JsonProcessingException {
        assertEquals(new Targets(0.02, 300, 19, 49, 0.01), TargetsBody.parse(GOOD, JSON));
    }

    // Each row: what the case is, a piece of the good body, what replaces it, the problem named.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NaN as a string | "maxOverhead":0.02 | "maxOverhead":"NaN" | maxOverhead must be a number, got "NaN"
            null | "minFraction":0.01 | "minFraction":null | minFraction must be a number, got null
            boolean | :300 | :true | samplesPerMinute must be a number, got true
            fractional hertz | :49 | :49.5 | maxFrequencyHz must be a whole number of Hz, got 49.5
            hertz as a string | :19 | :"19" | minFrequencyHz must be a whole number of Hz, got "19"
            hertz beyond int | :49 | :99999999999 | maxFrequencyHz must be a whole number of Hz, got 99999999999
            negative overhead | :0.02 | :-0.01 | maxOverhead must be in (0, 0.5], was -0.01
            overhead over half | :0.02 | :0.6 | maxOverhead must be in (0, 0.5], was 0.6
            min above max | :19 | :99 | minFrequencyHz (99) must not exceed maxFrequencyHz (49)
            samples beyond bound | :300 | :1e308 | samplesPerMinute must be a positive number at most 100000000, \
            was 1.0E308
            hertz beyond bound | :49 | :100001 | maxFrequencyHz must be at most 100000, was 100001
            no ladder rung | 19,"maxFrequencyHz":49 | 50,"maxFrequencyHz":98 | no ladder frequency [19, 49, 99, \
            199, 499, 997] lies in [50, 98]
            zero fraction | :0.01 | :0 | minFraction must be in (0, 1], was 0.0
            missing field | ,"minFraction":0.01 | '' | minFraction is missing (PUT replaces all five targets)
            slow call zero | } | ,"slowCallMillis":0} | slowCallMillis must be null (p99 of the function) or in \
            [1, 3600000] ms, was 0
            slow call past an hour | } | ,"slowCallMillis":3600001} | slowCallMillis must be null (p99 of the \
            function) or in [1, 3600000] ms, was 3600001
            slow call fractional | } | ,"slowCallMillis":2.5} | slowCallMillis must be a whole number of \
            milliseconds or null, got 2.5
            """)
    void refusesOneProblem(String name, String replaced, String by, String problem) {
        assertEquals("invalid targets: " + problem, refused(GOOD.replace(replaced, by)));
    }

    @Test
    void readsAnOptionalSlowCallThreshold() throws JsonProcessingException {
        assertEquals(
                new Targets(0.02, 300, 19, 49, 0.01, 250L),
                TargetsBody.parse(GOOD.replace("}", ",\"slowCallMillis\":250}"), JSON));
        assertEquals(
                new Targets(0.02, 300, 19, 49, 0.01, null),
                TargetsBody.parse(GOOD.replace("}", ",\"slowCallMillis\":null}"), JSON),
                "null: the function's p99");
    }

    @Test
    void refusesUnknownFields() {
        assertEquals(
                "invalid targets: unknown field \"foo\" (the fields are " + FIELDS + ")",
                refused(GOOD.replace("}", ",\"foo\":1}")));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertEquals(
                "invalid targets: maxOverhead must be in (0, 0.5], was 0.9;"
                        + " samplesPerMinute must be a positive number at most 100000000, was -3.0;"
                        + " minFrequencyHz (500) must not exceed maxFrequencyHz (49)",
                refused(GOOD.replace("0.02", "0.9").replace("300", "-3").replace(":19", ":500")));
        assertEquals(
                "invalid targets: unknown field \"x\" (the fields are " + FIELDS + ");"
                        + " maxOverhead must be a number, got \"NaN\"",
                refused(GOOD.replace("0.02", "\"NaN\"").replace("{", "{\"x\":1,")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            '' | empty body: expected a JSON object with FIELDS
            '  ' | empty body: expected a JSON object with FIELDS
            [1] | expected a JSON object with FIELDS, got array
            0.01 | expected a JSON object with FIELDS, got number
            """)
    void refusesABodyThatIsNoObject(String body, String message) {
        assertEquals(message.replace("FIELDS", FIELDS), refused(body));
    }

    @Test
    void refusesTrailingJunk() {
        assertThrows(JsonProcessingException.class, () -> TargetsBody.parse(GOOD + " x", JSON));
        assertThrows(JsonProcessingException.class, () -> TargetsBody.parse("{\"maxOverhead\":NaN}", JSON));
    }

    private static String refused(String body) {
        return assertThrows(ApiException.class, () -> TargetsBody.parse(body, JSON))
                .getMessage();
    }
}
