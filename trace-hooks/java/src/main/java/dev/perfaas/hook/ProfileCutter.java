package dev.perfaas.hook;

import java.io.IOException;

/**
 * When a sampler's profile is cut, and the cutting. Cutting has a fixed cost (perf: a rotation
 * and perf script, ~0.2 s of CPU whatever the profile holds; in process: a restart and reading
 * the recording), so a sampler that traced little is carried into the next window until it
 * likely holds {@link #MIN_SAMPLES_PER_PROFILE} samples, for at most
 * {@link #MAX_WINDOWS_PER_PROFILE} windows. Reports still go every window, those of carried
 * windows marked samplesPending; the samples of all of them come with the window that cuts.
 * Window thread only.
 */
final class ProfileCutter {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int MIN_SAMPLES_PER_PROFILE = 100;
    static final int MAX_WINDOWS_PER_PROFILE = 10;
    private static final long IN_FLIGHT_WAIT_MS = 30_000;

    /** Windows the running sampler went on past after it traced something. */
    private int windowsCarried;

    /**
     * Whether a window that closes on a sampler that still fits the policy cuts its profile.
     * {@code windowsCarried}: windows it went on past after it traced something. A broken sampler
     * is always cut; one that traced nothing never, however long it ran.
     */
    static boolean worthCutting(boolean usable, boolean traced, double expectedSamples, int windowsCarried) {
        if (!usable) {
            return true;
        }
        if (!traced) {
            return false;
        }
        return expectedSamples >= MIN_SAMPLES_PER_PROFILE || windowsCarried + 1 >= MAX_WINDOWS_PER_PROFILE;
    }

    /**
     * At a window's close, for a sampler that still fits the policy: true when it goes on into the
     * next window uncut. Once it traced something, each window it goes on counts.
     */
    boolean carries(Sampler s) {
        boolean usable = s.usable();
        boolean traced = usable && !s.unused();
        if (worthCutting(usable, traced, s.expectedSamples(), windowsCarried)) {
            return false;
        }
        if (traced) {
            windowsCarried++;
        }
        return true;
    }

    /** The window closes on another sampler, or none: its count starts again. */
    void restart() {
        windowsCarried = 0;
    }

    /** Waits for the traced invocations in flight, then renders the profile; empty when that fails. */
    ProfileFile cut(Sampler s, long windowStartMillis) throws InterruptedException {
        s.awaitIdle(IN_FLIGHT_WAIT_MS);
        try {
            return s.finish();
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot render the " + s.engine() + " profile of window " + windowStartMillis + ": "
                            + e.getMessage());
            return ProfileFile.EMPTY;
        }
    }
}
