package dev.perfaas.agent;

/**
 * Whether a window's close cuts the profile, as the hook's ProfileCutter decides: perf script costs
 * ~0.2 s of CPU a run here whatever the profile holds (it reads the kernel's symbols first), so a
 * profile is cut once it likely holds {@link #SAMPLES} samples or has run {@link #WINDOWS} windows,
 * except the first, cut as soon as it likely holds {@link ProfileRender#MIN_SAMPLES}: a new
 * function's first flame graph is worth more than one cut saved.
 */
final class ProfileCut {
    static final double SAMPLES = 100;
    static final int WINDOWS = 10;

    private boolean firstCut = true;
    private double expected;
    private int windows;

    /**
     * Adds a window whose sampled CPU should bring {@code expectedSamples} (frequency x CPU seconds
     * sampled) and says whether to cut now; {@code force} cuts whatever the profile holds.
     */
    boolean add(double expectedSamples, boolean force) {
        expected += expectedSamples;
        windows++;
        boolean cut =
                force || (firstCut ? expected >= ProfileRender.MIN_SAMPLES : expected >= SAMPLES || windows >= WINDOWS);
        if (cut) {
            firstCut = false;
            expected = 0;
            windows = 0;
        }
        return cut;
    }
}
