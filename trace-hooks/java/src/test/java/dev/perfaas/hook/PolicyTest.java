package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTest {
    @Test
    void parsesTheControllersAnswerAndIgnoresFieldsItDoesNotKnow() {
        Policy p = Policy.fromJson("""
                {"function":"pi","fraction":0.25,"frequencyHz":99,"windowSeconds":60,"refreshSeconds":10,
                 "engine":"perf","version":7,"future":{"nested":[1,{"a":"}"}]},"flag":true,"none":null}""");
        assertEquals(new Policy(0.25, 99, 60, 10, "perf", 7, 0, 0, 0), p, "no slow-call fields: none is captured");
        assertTrue(p.samples());
    }

    @Test
    void readsTheSlowCallRule() {
        Policy p = Policy.fromJson("""
                {"fraction":0,"frequencyHz":0,"windowSeconds":60,"refreshSeconds":10,"engine":"async","version":3,
                 "slowCallMillis":250,"slowCallsPerMinute":1.5,"slowCallBurst":3}""");
        assertEquals(new Policy(0, 0, 60, 10, "async", 3, 250, 1.5, 3), p);
    }

    @Test
    void offTracesNothing() {
        assertFalse(Policy.OFF.samples());
        assertFalse(
                new Policy(1, 99, 60, 10, "none", 1, 0, 0, 0).samples(),
                "an engine the hook does not know samples nothing");
        assertEquals(0, Policy.OFF.fraction());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"fraction\":0.1}",
                "{\"fraction\":1.5,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
                "{\"fraction\":0.1,\"frequencyHz\":-1,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
                "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":0,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
                "{\"fraction\":\"x\",\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
                "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1} x",
                "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1,\"slowCallMillis\":-5}",
                "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1,\"slowCallMillis\":\"5\"}",
            })
    void rejectsMalformedOrOutOfRangePolicies(String json) {
        assertThrows(IllegalArgumentException.class, () -> Policy.fromJson(json));
    }

    @Test
    void quotesStringsForReports() {
        assertEquals(
                "\"a\\\"b\\\\c\\n\\u0001\"",
                Json.quote(new StringBuilder(), "a\"b\\c\n\u0001").toString());
        assertEquals("null", Json.quote(new StringBuilder(), null).toString());
    }
}
