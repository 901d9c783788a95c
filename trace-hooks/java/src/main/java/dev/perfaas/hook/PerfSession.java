package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * One profile's stretch of a {@link PerfRecorder}: the traced invocations that entered it and,
 * on {@link #finish()}, what perf sampled meanwhile, symbolized with {@code perf script}. When
 * the profile is cut while perf still serves the policy, the next session takes the same perf
 * over ({@link #handOver}), which rotates perf's output; otherwise finishing stops perf.
 *
 * <p>Samples are attributed by timestamp to traced invocations. The rotation happens before the
 * next session traces anything, but this session's invocations in flight go on past it: their
 * later samples are in the next profile, which is attributed against this session's invocations
 * as well as its own.
 */
final class PerfSession implements Sampler {
    private final PerfRecorder perf;
    private final Path profile;
    private final TracedIntervals intervals = new TracedIntervals();
    private TracedIntervals previous; // of the session this one took perf over from, until rendered; window thread
    private List<Path> rotated; // what perf wrote for this session, once the next took perf over; window thread

    private int active; // this session's traced invocations in flight; guarded by perf
    private long entered; // guarded by perf
    private long firstTracedMillis; // guarded by perf

    private PerfSession(PerfRecorder perf, Path profile, TracedIntervals previous) {
        this.perf = perf;
        this.profile = profile;
        this.previous = previous;
    }

    /** The first session on a perf just started ({@link PerfRecorder#start}): its profile is {@code name.perf.gz} beside perf's files. */
    static PerfSession first(PerfRecorder perf, String name) {
        return new PerfSession(perf, perf.command.data().resolveSibling(name + ".perf.gz"), null);
    }

    /**
     * Cuts this session's profile by rotating perf's output, and returns the next profile's
     * session on the same perf, when perf still works at {@code frequencyHz} on these threads.
     * Null when a new perf has to start (this session's finish then stops this one).
     */
    PerfSession handOver(int frequencyHz, Collection<Long> threads, String name) throws IOException {
        if (rotated != null || !perf.serves(frequencyHz, threads)) {
            return null;
        }
        rotated = perf.rotate();
        if (!perf.usable()) {
            return null; // it failed rotating, and is stopped
        }
        return new PerfSession(perf, profile.resolveSibling(name + ".perf.gz"), intervals);
    }

    @Override
    public String engine() {
        return Engines.PERF;
    }

    @Override
    public int frequencyHz() {
        return perf.command.frequencyHz();
    }

    @Override
    public boolean enter() {
        synchronized (perf) {
            if (!perf.enter()) {
                return false;
            }
            if (entered++ == 0) {
                firstTracedMillis = System.currentTimeMillis();
            }
            active++;
            return true;
        }
    }

    @Override
    public void leave(long startNanos, long endNanos) {
        intervals.add(startNanos, endNanos); // before the count drops: finish() reads them once idle
        synchronized (perf) {
            perf.leave();
            if (--active == 0) {
                perf.notifyAll();
            }
        }
    }

    @Override
    public void awaitIdle(long timeoutMs) throws InterruptedException {
        synchronized (perf) {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (active > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                perf.wait(left);
            }
        }
    }

    /** perf has applied every enable and disable written so far. */
    boolean caughtUp() {
        return perf.caughtUp();
    }

    /** Why this session's perf stopped working on its own; null while it works or once stopped on purpose. */
    String failure() {
        return perf.failure();
    }

    @Override
    public long countCpu() {
        return perf.process.countCpu();
    }

    @Override
    public boolean unused() {
        synchronized (perf) {
            return perf.usable() && entered == 0;
        }
    }

    @Override
    public boolean usable() {
        return perf.usable();
    }

    @Override
    public double expectedSamples() {
        return intervals.totalNanos() * perf.command.frequencyHz() / 1e9;
    }

    @Override
    public long firstTracedMillis() {
        synchronized (perf) {
            return firstTracedMillis;
        }
    }

    TracedIntervals intervals() {
        return intervals;
    }

    /**
     * Symbolizes what perf wrote for this session with {@code perf script}: the files rotated
     * out when the next session took perf over, else those perf finishes as it is stopped.
     */
    @Override
    public ProfileFile finish() throws IOException {
        List<Path> files = rotated != null ? rotated : perf.stop();
        try {
            if (files.isEmpty()) {
                return ProfileFile.EMPTY;
            }
            return PerfScript.render(perf.command.perf(), files, profile, TracedIntervals.lookup(previous, intervals));
        } finally {
            previous = null;
            SpoolFiles.deleteQuietly(files.toArray(Path[]::new));
        }
    }

    @Override
    public String toString() {
        return "perf session for " + profile.getFileName() + " on " + perf;
    }
}
