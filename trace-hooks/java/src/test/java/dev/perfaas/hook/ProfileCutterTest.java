package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileCutterTest {
    /** {@code carried}: windows the sampler already went on past after it traced something. */
    @ParameterizedTest(name = "usable={0} traced={1} expected={2} carried={3}: cut={4}")
    @CsvSource({
        // a broken sampler is cut whatever it holds
        "false, false,    0,  0, true",
        "false, true,     5,  3, true",
        // one that traced nothing goes on, however many samples time alone would give, however long
        "true,  false,  500,  0, false",
        "true,  false,    0, 50, false",
        // enough samples expected: cut
        "true,  true,  99.9,  0, false",
        "true,  true,   100,  0, true",
        // few samples: carried until its tenth window
        "true,  true,     1,  8, false",
        "true,  true,     1,  9, true",
        "true,  true,     1, 12, true",
    })
    void worthCutting(boolean usable, boolean traced, double expectedSamples, int carried, boolean cut) {
        assertEquals(cut, ProfileCutter.worthCutting(usable, traced, expectedSamples, carried));
        assertEquals(cut, ProfileCutter.worthCutting(usable, traced, expectedSamples, carried), "asking again does not change the answer");
    }
}
