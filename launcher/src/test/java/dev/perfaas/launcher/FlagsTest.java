package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagsTest {
    @ParameterizedTest(name = "[{0}] --port -> {1}, left [{2}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "--port 8090          | 8090 | ''",
                "demo --port 8090 -v  | 8090 | demo -v",
                "demo                 | 9876 | demo",
                "''                   | 9876 | ''",
            })
    void takesTheValueAndLeavesTheRest(String line, String value, String left) {
        List<String> args = words(line);
        assertEquals(value, Flags.take(args, "--port", "9876"));
        assertEquals(words(left), args);
    }

    @ParameterizedTest
    @CsvSource({"--port", "demo --port"})
    void aFlagWithoutAValueIsAnError(String line) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Flags.take(words(line), "--port", "9876"));
        assertEquals("--port needs a value", e.getMessage());
    }

    private static List<String> words(String line) {
        return new ArrayList<>(line.isBlank() ? List.of() : List.of(line.trim().split(" +")));
    }
}
