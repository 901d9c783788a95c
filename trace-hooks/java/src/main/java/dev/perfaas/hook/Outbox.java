package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Profiles and reports waiting for the controller. A controller that is down, slow or out of disk
 * loses nothing until it has been gone long enough to fill these bounds; then the oldest go first,
 * with a log line, so the function's disk and memory stay bounded. Filled and flushed by the
 * window thread; {@link #pending()} may be read from any thread.
 */
final class Outbox {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int MAX_REPORTS = 1_000;
    static final int MAX_PROFILES = 32;
    /** Slow calls are rate-limited to a few a minute: this many wait at most. */
    static final int MAX_SLOW_CALLS = 8;
    /** The wait after a transient failure, doubling with each further one up to {@link #MAX_RETRY_NANOS}. */
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * A window profile waiting: {@code engine} and {@code frequencyHz} sampled it, {@code clockOffsetNanos}
     * maps its sample times (CLOCK_MONOTONIC) to the epoch.
     */
    record Profile(Path file, long windowStartMillis, String engine, int frequencyHz, long clockOffsetNanos) {}

    private final Deque<Profile> profiles = new ConcurrentLinkedDeque<>();
    private final Deque<String> reports = new ConcurrentLinkedDeque<>();
    private final Deque<SlowCall> slowCalls = new ConcurrentLinkedDeque<>();
    private final Retry profileRetry = new Retry("profiles");
    private final Retry reportRetry = new Retry("reports");
    private final Retry slowCallRetry = new Retry("slow calls");
    private final LongSupplier nanoClock;

    Outbox() {
        this(System::nanoTime);
    }

    Outbox(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    void add(Profile p) {
        if (profiles.size() == MAX_PROFILES) {
            Profile dropped = profiles.removeFirst();
            SpoolFiles.deleteQuietly(dropped.file());
            LOG.log(
                    System.Logger.Level.WARNING,
                    "controller unreachable for " + MAX_PROFILES + " windows: dropped the profile of window "
                            + dropped.windowStartMillis());
        }
        profiles.addLast(p);
    }

    void add(String report) {
        if (reports.size() == MAX_REPORTS) {
            reports.removeFirst();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "controller unreachable for " + MAX_REPORTS + " windows: dropped the oldest report");
        }
        reports.addLast(report);
    }

    /** From the slow-call watcher's thread. */
    void add(SlowCall c) {
        if (slowCalls.size() >= MAX_SLOW_CALLS) {
            SpoolFiles.deleteQuietly(c.file());
            LOG.log(
                    System.Logger.Level.WARNING,
                    MAX_SLOW_CALLS + " slow calls wait for the controller: dropped the one of " + c.startMillis());
            return;
        }
        slowCalls.addLast(c);
    }

    int pending() {
        return profiles.size() + reports.size() + slowCalls.size();
    }

    /**
     * Sends profiles, then reports, then slow calls, each in order until its first transient failure
     * (no answer, 5xx such as 507 for a full disk or 503, 408, 429); that queue keeps the rest and
     * waits before trying again, so a controller out of disk is not sent the same profile every second.
     * Reports do not wait behind profiles: a controller that cannot store profiles still steers with
     * the reports. What the controller refuses for good (any other 4xx, and 429 for a slow call, over
     * the function's rate) is dropped with a log line.
     */
    void flush(ControllerClient client) throws InterruptedException {
        flush(client, false);
    }

    /** Sends what is pending whatever the waits; for shutdown, the last chance. */
    void flushNow(ControllerClient client) throws InterruptedException {
        flush(client, true);
    }

    private void flush(ControllerClient client, boolean now) throws InterruptedException {
        long time = nanoClock.getAsLong();
        if (now || profileRetry.due(time)) {
            IOException failed = send(
                    profiles,
                    client::postProfile,
                    "profile",
                    System.Logger.Level.WARNING,
                    p -> SpoolFiles.deleteQuietly(p.file()));
            profileRetry.after(failed, time, profiles.size());
        }
        if (now || reportRetry.due(time)) {
            reportRetry.after(
                    send(reports, client::postReport, "report", System.Logger.Level.WARNING, r -> {}),
                    time,
                    reports.size());
        }
        if (now || slowCallRetry.due(time)) {
            // A slow call refused over the function's rate (429) is dropped, not sent again: ControllerClient rejects
            // it.
            IOException failed = send(
                    slowCalls,
                    client::postSlowCall,
                    "slow call",
                    System.Logger.Level.INFO,
                    c -> SpoolFiles.deleteQuietly(c.file()));
            slowCallRetry.after(failed, time, slowCalls.size());
        }
    }

    private interface Post<T> {
        void send(T item) throws IOException, InterruptedException;
    }

    /**
     * Sends a queue's items in order, each taken off (and {@code done} with) once sent or refused
     * for good; null when every one went, otherwise the transient failure that stopped it.
     */
    private static <T> IOException send(
            Deque<T> queue, Post<T> post, String what, System.Logger.Level dropLevel, Consumer<T> done)
            throws InterruptedException {
        try {
            while (!queue.isEmpty()) {
                T item = queue.peekFirst();
                try {
                    post.send(item);
                } catch (ControllerClient.Rejected e) {
                    LOG.log(dropLevel, what + " dropped: " + e.getMessage());
                }
                queue.removeFirst();
                done.accept(item);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** One queue's wait after transient failures; logs when they start and when they end. */
    private static final class Retry {
        private final String what;
        private long waitNanos = FIRST_RETRY_NANOS;
        private long dueNanos;
        private boolean failing;

        Retry(String what) {
            this.what = what;
        }

        boolean due(long now) {
            return !failing || now - dueNanos >= 0;
        }

        void after(IOException failure, long now, int left) {
            if (failure == null) {
                if (failing) {
                    LOG.log(System.Logger.Level.INFO, "controller takes " + what + " again; pending ones sent");
                }
                failing = false;
                waitNanos = FIRST_RETRY_NANOS;
                return;
            }
            if (!failing) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot send " + what + " to the controller, keeping " + left
                                + " for later (retried after " + TimeUnit.NANOSECONDS.toSeconds(FIRST_RETRY_NANOS)
                                + " s, doubling to "
                                + TimeUnit.NANOSECONDS.toSeconds(MAX_RETRY_NANOS) + " s): " + failure);
            }
            failing = true;
            dueNanos = now + waitNanos;
            waitNanos = Math.min(2 * waitNanos, MAX_RETRY_NANOS);
        }
    }
}
