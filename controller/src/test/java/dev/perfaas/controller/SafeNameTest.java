package dev.perfaas.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pi|pi",
        "my fn|my_fn",
        "a  \t b|a_b",
        "fn:v1+x|fn_v1_x",
        ".hidden|hidden",
        "-_.x|x",
        "_ fn|fn",
        "a.b-c_d|a.b-c_d",
        "näme|n_me",
        "-abc|abc",
        "a-|a-",
        "Z9.z_|Z9.z_",
        "a~b|a_b",
    })
    void keepsSafeCharactersAndReplacesRuns(String raw, String safe) {
        assertEquals(safe, SafeName.function(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "a\\b", "..", ".", "x..y"})
    void refusesPathLikeNames(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> SafeName.function(raw));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("must not contain '/', '\\' or '..'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "___", "-.-", " "})
    void refusesNamesWithNothingUsable(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> SafeName.function(raw));
        assertEquals(400, e.status());
    }

    @Test
    void namesWithNoUsableCharacterSaySo() {
        ApiException e = assertThrows(ApiException.class, () -> SafeName.function("!!!"));
        assertEquals("function name \"!!!\" has no usable characters: names keep letters, digits, '.', '_' and '-'",
                e.getMessage());
    }

    @Test
    void refusesMissingNames() {
        assertEquals("function name is missing or blank",
                assertThrows(ApiException.class, () -> SafeName.function(null)).getMessage());
        assertEquals("instance name is missing or blank",
                assertThrows(ApiException.class, () -> SafeName.instance("")).getMessage());
    }

    @Test
    void capsLongNames() {
        String safe = SafeName.function("f".repeat(250));
        assertEquals(SafeName.MAX_LENGTH, safe.length());
        String longest = "f".repeat(SafeName.MAX_LENGTH);
        assertEquals(longest, SafeName.function(longest));
        assertEquals(longest, SafeName.function(longest + "g"));
        assertEquals(longest, SafeName.function("." + longest));
    }

    @Test
    void absentInstanceTakesTheFallback() {
        assertEquals("unknown", SafeName.instanceOr(null, "unknown"));
        assertEquals("seed", SafeName.instanceOr("", "seed"));
        assertEquals("pod_a", SafeName.instanceOr("pod a", "seed"));
        assertThrows(ApiException.class, () -> SafeName.instanceOr("a/b", "seed"));
    }
}
