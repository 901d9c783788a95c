package dev.perfaas.hook;

import java.io.IOException;

/**
 * When a sampler's profile is cut, and the cutting. Cutting has a fixed cost (perf: a rotation
 * and perf script, ~0.2 s of CPU whatever the profile holds; in process: a restart and reading
 * the recording), so a sampler that traced little is carried into the next window until it
 * likely holds {@link #MIN_SAMPLES_PER_PROFILE} samples, for at most
 * {@link #MAX_WINDOWS_PER_PROFILE} windows. The process's first profile is the exception: it is
 * cut as soon as it likely holds the two samples FlameScope needs, because a new function's first
 * flame graph is worth more than one cut saved (with the short first window, within seconds of its
 * first invocation). Reports still go every window, those of carried windows marked samplesPending;
 * the samples of all of them come with the window that cuts. A cut that holds fewer than
 * {@link ProfileFile#MIN_SAMPLES} is dropped, not sent, and its report counts no sample: the
 * report's {@code samples} are the samples the controller receives. Window thread only.
 */
final class ProfileCutter {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int MIN_SAMPLES_PER_PROFILE = 100;
    static final int MAX_WINDOWS_PER_PROFILE = 10;
    /** Expected samples that cut the process's first profile. */
    static final int MIN_SAMPLES_FIRST_PROFILE = ProfileFile.MIN_SAMPLES;

    private static final long IN_FLIGHT_WAIT_MS = 30_000;

    /** Windows the running sampler went on past after it traced something. */
    private int windowsCarried;
    /** No profile FlameScope opens (see {@link ProfileFile#MIN_SAMPLES}) was cut yet in this process. */
    private boolean firstProfile = true;

    /**
     * Whether a window that closes on a sampler that still fits the policy cuts its profile.
     * {@code windowsCarried}: windows it went on past after it traced something; {@code firstProfile}:
     * no profile FlameScope opens was cut in this process yet. A broken sampler is always cut; one that
     * traced nothing never, however long it ran.
     */
    static boolean worthCutting(
            boolean usable, boolean traced, double expectedSamples, int windowsCarried, boolean firstProfile) {
        if (!usable) {
            return true;
        }
        if (!traced) {
            return false;
        }
        double enough = firstProfile ? MIN_SAMPLES_FIRST_PROFILE : MIN_SAMPLES_PER_PROFILE;
        return expectedSamples >= enough || windowsCarried + 1 >= MAX_WINDOWS_PER_PROFILE;
    }

    /**
     * At a window's close, for a sampler that still fits the policy: true when it goes on into the
     * next window uncut. Once it traced something, each window it goes on counts.
     */
    boolean carries(Sampler s) {
        boolean usable = s.usable();
        boolean traced = usable && !s.unused();
        if (worthCutting(usable, traced, s.expectedSamples(), windowsCarried, firstProfile)) {
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

    /**
     * Waits for the traced invocations in flight, then renders the profile; empty when that fails or
     * when it holds fewer samples than FlameScope opens (then its file is removed).
     */
    ProfileFile cut(Sampler s, long windowStartMillis) throws InterruptedException {
        s.awaitIdle(IN_FLIGHT_WAIT_MS);
        try {
            ProfileFile profile = s.finish();
            if (profile.samples() >= ProfileFile.MIN_SAMPLES) {
                firstProfile = false;
                return profile;
            }
            if (profile.file() != null) {
                SpoolFiles.deleteQuietly(profile.file());
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "the " + s.engine() + " profile of window " + windowStartMillis + " holds " + profile.samples()
                                + " sample(s), fewer than FlameScope opens: not sent");
            }
            return ProfileFile.EMPTY;
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot render the " + s.engine() + " profile of window " + windowStartMillis + ": "
                            + e.getMessage());
            return ProfileFile.EMPTY;
        }
    }
}
