package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileCutterTest {
    /**
     * {@code carried}: windows the sampler already went on past after it traced something;
     * {@code first}: no profile with a sample was cut in the process yet.
     */
    @ParameterizedTest(name = "usable={0} traced={1} expected={2} carried={3} first={4}: cut={5}")
    @CsvSource({
        // a broken sampler is cut whatever it holds
        "false, false,    0,  0, false, true",
        "false, true,     5,  3, false, true",
        "false, false,    0,  0, true,  true",
        // one that traced nothing goes on, however many samples time alone would give, however long
        "true,  false,  500,  0, false, false",
        "true,  false,    0, 50, false, false",
        "true,  false,  500,  0, true,  false",
        // enough samples expected: cut
        "true,  true,  99.9,  0, false, false",
        "true,  true,   100,  0, false, true",
        // few samples: carried until its tenth window
        "true,  true,     1,  8, false, false",
        "true,  true,     1,  9, false, true",
        "true,  true,     1, 12, false, true",
        // the process's first profile: cut once it likely holds the two samples FlameScope needs
        "true,  true,     1,  0, true,  false",
        "true,  true,   1.9,  0, true,  false",
        "true,  true,     2,  0, true,  true",
        "true,  true,   0.1,  9, true,  true",
    })
    void worthCutting(boolean usable, boolean traced, double expectedSamples, int carried, boolean first, boolean cut) {
        assertEquals(cut, ProfileCutter.worthCutting(usable, traced, expectedSamples, carried, first));
        assertEquals(
                cut,
                ProfileCutter.worthCutting(usable, traced, expectedSamples, carried, first),
                "asking again does not change the answer");
    }

    @Test
    void theFirstProfileIsCutAtTwoExpectedSamplesAndLaterOnesAtAHundred() throws Exception {
        ProfileCutter cutter = new ProfileCutter();
        Stub s = new Stub();
        s.traced = true;
        s.expected = 1.5;
        assertTrue(cutter.carries(s), "not two samples expected yet");
        s.expected = 3;
        assertFalse(cutter.carries(s), "the first profile is cut at once");
        s.rendered = new ProfileFile(null, 0, 0);
        cutter.cut(s, 0);
        cutter.restart();
        assertFalse(cutter.carries(s), "a first cut that held no sample leaves the next one first");
        s.rendered = new ProfileFile(null, 3, 3);
        cutter.cut(s, 0);
        cutter.restart();
        assertTrue(cutter.carries(s), "after a profile with samples, 3 expected samples are carried");
        s.expected = ProfileCutter.MIN_SAMPLES_PER_PROFILE;
        assertFalse(cutter.carries(s));
    }

    @Test
    void aSamplerThatTracesLittleIsCarriedNineWindowsAfterItFirstTracedAndCutOnTheTenth() throws Exception {
        ProfileCutter cutter = afterAFirstProfile();
        Stub s = new Stub();
        for (int w = 0; w < 20; w++) {
            assertTrue(cutter.carries(s), "windows before it traced anything do not count");
        }
        s.traced = true;
        s.expected = 5;
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

    @Test
    void aCutOfOneSampleIsDroppedAndLeavesTheNextProfileFirst(@TempDir Path spool) throws Exception {
        ProfileCutter cutter = new ProfileCutter();
        Stub s = new Stub();
        s.traced = true;
        s.expected = 2;
        Path file = Files.writeString(spool.resolve("one.perf.gz"), "one sample");
        s.rendered = new ProfileFile(file, 1, 1);
        assertFalse(cutter.carries(s));
        assertEquals(ProfileFile.EMPTY, cutter.cut(s, 0), "FlameScope cannot open one sample: nothing is sent");
        assertFalse(Files.exists(file), "its file is removed");
        cutter.restart();
        s.expected = 3;
        assertFalse(cutter.carries(s), "the next profile is still the first: cut at once");
        Path two = Files.writeString(spool.resolve("two.perf.gz"), "two samples");
        s.rendered = new ProfileFile(two, 2, 1);
        assertEquals(s.rendered, cutter.cut(s, 0));
        assertTrue(Files.exists(two));
    }

    /** A cutter that has cut the process's first profile, with samples. */
    private static ProfileCutter afterAFirstProfile() throws InterruptedException {
        ProfileCutter cutter = new ProfileCutter();
        Stub first = new Stub();
        first.rendered = new ProfileFile(null, 2, 2);
        cutter.cut(first, 0);
        cutter.restart();
        return cutter;
    }

    /** A sampler whose state the test sets. */
    private static final class Stub implements Sampler {
        boolean usable = true;
        boolean traced;
        double expected;
        ProfileFile rendered = ProfileFile.EMPTY;

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
            return rendered;
        }
    }
}
