package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileIntakeTest {

    @ParameterizedTest
    @ValueSource(strings = {"1795439942000", " 1795439942000 "})
    void windowHeaderNamesTheFile(String header) {
        assertEquals(Instant.parse("2026-11-23T13:19:02Z"), ProfileIntake.windowStart(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "soon", "-5", "1.5e12", "253402300800000"})
    void unusableWindowFallsBackToUploadTime(String header) {
        Instant before = Instant.now();
        Instant chosen = ProfileIntake.windowStart(header);
        assertFalse(chosen.isBefore(before), "upload time, not " + chosen);
    }
}
