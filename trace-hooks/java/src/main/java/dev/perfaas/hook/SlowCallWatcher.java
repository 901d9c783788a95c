package dev.perfaas.hook;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Slow-call capture. An invocation still running past the policy's {@code slowCallMillis} is slow
 * by then, so this thread samples its stack from that moment until it ends; the profile goes to the
 * controller with the call's id, latency and threshold. Invocations that end in time cost the
 * request path a few plain stores: the call id, and the start and end as release stores, plain moves
 * on x86 (see {@link Invocation}); a rolling buffer of every invocation's
 * samples would have cost each one a traced invocation's price. What a late start misses is the
 * call's first {@code slowCallMillis}: the part that was normal.
 *
 * <p>It wakes when the oldest running invocation would cross the threshold, or a threshold from
 * now when none runs (one starting now crosses no sooner), at most every {@link #MIN_LOOK_MILLIS}:
 * about once per threshold, for a wake of a parked thread costs ~50-90 us of CPU on a VM
 * (a 5 ms poll would cost 1 % of a core, more than a function's whole overhead ceiling). When no
 * invocation ran for a second it sleeps until one starts: the request path wakes it, once.
 * One capture at a time, within {@link SlowCallRate}, and at most {@link #MAX_CAPTURE_NANOS} of it,
 * so a storm of slow or hung calls costs a bounded amount of sampling.
 */
final class SlowCallWatcher implements Runnable {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final long MAX_CAPTURE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The shortest wait between looks: a lower threshold is met up to this late. */
    static final long MIN_LOOK_MILLIS = 20;
    /** How long to wait before looking at the policy again while it asks for nothing; a new policy wakes it ({@link #wake}). */
    private static final long IDLE_MILLIS = 1_000;
    /** The longest a dormant watcher sleeps: bounds how late a start it missed is seen. */
    static final long DORMANT_MAX_MILLIS = 10_000;

    private final Set<Invocation> watched = ConcurrentHashMap.newKeySet();
    private final Supplier<Policy> policy;
    private final Path spool;
    private final Consumer<SlowCall> captured;
    private final SlowCallRate rate = new SlowCallRate();
    private SlowCapture capture;
    /** The last look saw an invocation running or a capture going on. Watcher thread only. */
    private boolean sawRunning;
    /** Asleep until an invocation starts: see {@link #sleepUntilAnInvocationStarts}. */
    private volatile boolean dormant;

    private volatile Thread self;

    SlowCallWatcher(Supplier<Policy> policy, Path spool, Consumer<SlowCall> captured) {
        this.policy = policy;
        this.spool = spool;
        this.captured = captured;
    }

    /** Watches the invocations of {@code inv}'s thread from now on; returns it. */
    Invocation watch(Invocation inv) {
        watched.add(inv);
        return inv;
    }

    /**
     * How often a capture samples: ten samples within the threshold, between 10 and 100 ms (a sample
     * and its wake cost ~0.1 ms of CPU: a capture takes at most ~1 % of a core).
     */
    static long intervalMillis(long thresholdMillis) {
        return Math.max(10, Math.min(100, thresholdMillis / 10));
    }

    /** The policy changed: look now, not after a second of idling. */
    static void wake(Thread watcher) {
        LockSupport.unpark(watcher);
    }

    /**
     * An invocation begins (its start already stored): a dormant watcher is woken, once. A volatile
     * read for the others. The watcher's last look after it went dormant and this start may still
     * miss each other (the start's release store may pass this read); it then wakes at
     * {@link #DORMANT_MAX_MILLIS} at the latest.
     */
    void invocationStarted() {
        if (dormant) {
            dormant = false;
            LockSupport.unpark(self);
        }
    }

    @Override
    public void run() {
        self = Thread.currentThread();
        long quietSince = System.nanoTime();
        try {
            while (!Thread.interrupted()) {
                long wait;
                try {
                    wait = step(policy.get(), System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "slow-call capture failed; the function is unaffected: " + e);
                    if (capture != null) {
                        capture.abandon();
                    }
                    capture = null;
                    wait = IDLE_MILLIS;
                }
                long now = System.nanoTime();
                if (sawRunning) {
                    quietSince = now;
                }
                if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                    if (sleepUntilAnInvocationStarts()) {
                        quietSince = System.nanoTime(); // looks again for a second before the next sleep
                    } // else it slept its longest, woken by nothing: dormant again after one look
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
                }
            }
            // interrupted: the hook closes
        } finally {
            if (capture != null) {
                capture.abandon();
            }
        }
    }

    /**
     * Nothing ran for {@link #IDLE_MILLIS}: sleeps until an invocation starts ({@link #invocationStarted}),
     * the policy changes ({@link #wake}), or {@link #DORMANT_MAX_MILLIS} pass (then false: nothing woke it), so an idle function's
     * watcher does not wake every threshold (~50-90 us of CPU a wake, dozens a second at a p99 of tens of ms).
     */
    private boolean sleepUntilAnInvocationStarts() {
        dormant = true;
        // A look after the flag is up: an invocation that began before it saw no flag to wake us.
        boolean running = false;
        for (Invocation inv : watched) {
            running |= inv.runningSince() != 0;
        }
        boolean woken = true;
        if (!running) {
            long max = TimeUnit.MILLISECONDS.toNanos(DORMANT_MAX_MILLIS);
            long start = System.nanoTime();
            LockSupport.parkNanos(max);
            woken = System.nanoTime() - start < max;
        }
        dormant = false;
        return woken;
    }

    /** One look: samples the capture going on, ends it, or starts one; returns the milliseconds until the next look. */
    long step(Policy p, long now) throws IOException {
        sawRunning = capture != null;
        long threshold = p.slowCallMillis();
        if (capture != null) {
            long since = capture.invocation.runningSince();
            if (since == capture.startNanos && now - since < MAX_CAPTURE_NANOS) {
                capture.sample();
                return intervalMillis(capture.thresholdMillis);
            }
            finish(since, now);
        }
        if (threshold <= 0) {
            return IDLE_MILLIS;
        }
        long thresholdNanos = TimeUnit.MILLISECONDS.toNanos(threshold);
        long next = thresholdNanos;
        for (Iterator<Invocation> it = watched.iterator(); it.hasNext(); ) {
            Invocation inv = it.next();
            if (!inv.thread.isAlive()) {
                it.remove();
                continue;
            }
            long since = inv.runningSince();
            if (since == 0) {
                continue;
            }
            sawRunning = true;
            long crossesIn = since + thresholdNanos - now;
            if (crossesIn > 0) {
                next = Math.min(next, crossesIn);
                continue;
            }
            String callId = inv.callId;
            // Read after the start it belongs to; a call that ended meanwhile is not this one's (the fence
            // keeps the plain read of callId before the second read of the start, as StampedLock.validate
            // does). One the rate refuses stays uncaptured, and does not bring the next look forward.
            VarHandle.acquireFence();
            if (inv.runningSince() != since || !rate.take(p, now)) {
                continue;
            }
            capture = SlowCapture.start(inv, since, callId, threshold, intervalMillis(threshold), spool);
            capture.sample();
            return intervalMillis(threshold);
        }
        return Math.max(MIN_LOOK_MILLIS, TimeUnit.NANOSECONDS.toMillis(next + 999_999));
    }

    private void finish(long since, long now) throws IOException {
        SlowCapture c = capture;
        capture = null;
        boolean ended = since != c.startNanos;
        Invocation inv = c.invocation;
        // The thread may have run more invocations since: then the time it was seen running bounds the latency.
        long wall = ended && inv.lastStartNanos == c.startNanos ? inv.lastWallNanos : now - c.startNanos;
        SlowCall call = c.finish(wall / 1e6, ended);
        if (call != null) {
            captured.accept(call);
        }
    }
}
