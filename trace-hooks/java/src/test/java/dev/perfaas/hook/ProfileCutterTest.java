package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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
        assertEquals(
                cut,
                ProfileCutter.worthCutting(usable, traced, expectedSamples, carried),
                "asking again does not change the answer");
    }

    @Test
    void aSamplerThatTracesLittleIsCarriedNineWindowsAfterItFirstTracedAndCutOnTheTenth() {
        ProfileCutter cutter = new ProfileCutter();
        Stub s = new Stub();
        for (int w = 0; w < 20; w++) {
            assertTrue(cutter.carries(s), "windows before it traced anything do not count");
        }
        s.traced = true;
        for (int w = 1; w < ProfileCutter.MAX_WINDOWS_PER_PROFILE; w++) {
            assertTrue(cutter.carries(s), "window " + w);
        }
        assertFalse(cutter.carries(s), "the tenth window cuts");
        cutter.restart();
        assertTrue(cutter.carries(s), "the next sampler counts from nothing");
    }

    @Test
    void enoughSamplesOrABrokenSamplerCutAtOnce() {
        ProfileCutter cutter = new ProfileCutter();
        Stub s = new Stub();
        s.traced = true;
        s.expected = ProfileCutter.MIN_SAMPLES_PER_PROFILE;
        assertFalse(cutter.carries(s));
        s.expected = 0;
        s.usable = false;
        assertFalse(cutter.carries(s));
    }

    /** A sampler whose state the test sets. */
    private static final class Stub implements Sampler {
        boolean usable = true;
        boolean traced;
        double expected;

        @Override
        public String engine() {
            return "stub";
        }

        @Override
        public int frequencyHz() {
            return 99;
        }

        @Override
        public boolean enter() {
            return false;
        }

        @Override
        public void leave(long startNanos, long endNanos) {}

        @Override
        public boolean usable() {
            return usable;
        }

        @Override
        public boolean unused() {
            return usable && !traced;
        }

        @Override
        public double expectedSamples() {
            return expected;
        }

        @Override
        public long firstTracedMillis() {
            return 0;
        }

        @Override
        public long countCpu() {
            return 0;
        }

        @Override
        public void awaitIdle(long timeoutMs) {}

        @Override
        public ProfileFile finish() {
            return ProfileFile.EMPTY;
        }
    }
}
