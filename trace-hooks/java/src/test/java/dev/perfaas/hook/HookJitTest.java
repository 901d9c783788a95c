package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HookJitTest {
    private static final long S = 1_000_000_000L;

    /** Closes at 0 s and 20 s; the compiler threads' CPU read at each close's start and 2 s after. */
    private static long afterSecondClose(long jitAt0, long jitAt2, long jitAt20, long jitAt22) {
        HookJit jit = new HookJit();
        jit.workStarts(jitAt0, 0);
        jit.settle(jitAt2, 2 * S);
        jit.workStarts(jitAt20, 20 * S);
        jit.settle(jitAt22, 22 * S);
        return jit.take();
    }

    @Test
    void aCloseCountsTheCompilerCpuAboveTheQuietRateBeforeIt() {
        // quiet 2-20 s: 18 ms in 18 s, 1 ms/s; the close's 2 s: 50 ms, of which 2 ms the function's own
        assertEquals(48_000_000, afterSecondClose(0, 500_000_000, 518_000_000, 568_000_000));
    }

    @Test
    void aCloseAtTheQuietRateCountsNothingAndBelowItNothingNegative() {
        assertEquals(0, afterSecondClose(0, 0, 18_000_000, 20_000_000));
        assertEquals(0, afterSecondClose(0, 0, 18_000_000, 18_000_000));
    }

    @Test
    void aSpanBelowTheQuietRateIsCarriedIntoTheNext() {
        HookJit jit = new HookJit();
        jit.workStarts(0, 0);
        jit.settle(0, 2 * S);
        jit.workStarts(18_000_000, 20 * S); // quiet: 1 ms/s
        jit.settle(18_000_000, 22 * S); // nothing in 2 s: 2 ms below the quiet rate
        assertEquals(0, jit.take());
        jit.workStarts(38_000_000, 40 * S); // quiet: 20 ms in 18 s
        jit.settle(45_222_222, 42 * S); // 7.22 ms in 2 s, 5 ms over the quiet rate's 2.22
        assertEquals(3_000_000, jit.take(), "5 ms less the 2 ms carried");
        assertEquals(0, jit.take());
    }

    @Test
    void theFirstCloseOnlyStartsTheQuietTime() {
        HookJit jit = new HookJit();
        jit.workStarts(0, 0);
        jit.settle(900_000_000, 2 * S); // the function's warm-up runs then too: not the hook's
        assertEquals(0, jit.take());
    }

    @Test
    void aSpanSettlesTwoSecondsAfterItsCloseAndANextCloseEndsItEarlier() {
        HookJit jit = new HookJit();
        assertFalse(jit.settles(10 * S));
        jit.workStarts(0, 0);
        assertFalse(jit.settles(S));
        assertTrue(jit.settles(2 * S));
        jit.settle(0, 2 * S);
        jit.workStarts(10_000_000, 12 * S); // quiet: 1 ms/s
        jit.workStarts(40_000_000, 13 * S); // the next close at once: 30 ms in 1 s, 29 ms over the quiet rate
        assertEquals(29_000_000, jit.take());
        assertTrue(jit.settles(15 * S));
    }

    @Test
    void takeEmptiesTheCount() {
        HookJit jit = new HookJit();
        jit.workStarts(0, 0);
        jit.settle(0, 2 * S);
        jit.workStarts(0, 10 * S);
        jit.settle(5_000_000, 12 * S);
        assertEquals(5_000_000, jit.take());
        assertEquals(0, jit.take());
    }
}
