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
        assertEquals(new Policy(0.25, 99, 60, 10, "perf", 7), p);
        assertTrue(p.samples());
    }

    @Test
    void offTracesNothing() {
        assertFalse(Policy.OFF.samples());
        assertFalse(new Policy(1, 99, 60, 10, "none", 1).samples(), "an engine the hook does not know samples nothing");
        assertEquals(0, Policy.OFF.fraction());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "{",
        "{\"fraction\":0.1}",
        "{\"fraction\":1.5,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
        "{\"fraction\":0.1,\"frequencyHz\":-1,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
        "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":0,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
        "{\"fraction\":\"x\",\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1}",
        "{\"fraction\":0.1,\"frequencyHz\":99,\"windowSeconds\":60,\"refreshSeconds\":10,\"engine\":\"perf\",\"version\":1} x",
    })
    void rejectsMalformedOrOutOfRangePolicies(String json) {
        assertThrows(IllegalArgumentException.class, () -> Policy.fromJson(json));
    }

    @Test
    void quotesStringsForReports() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.quote(new StringBuilder(), "a\"b\\c\n\u0001").toString());
        assertEquals("null", Json.quote(new StringBuilder(), null).toString());
    }
}
