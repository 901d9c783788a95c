package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
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

    record Profile(Path file, long windowStartMillis) {}

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
            LOG.log(System.Logger.Level.WARNING, "controller unreachable for " + MAX_PROFILES + " windows: dropped the profile of window " + dropped.windowStartMillis());
        }
        profiles.addLast(p);
    }

    void add(String report) {
        if (reports.size() == MAX_REPORTS) {
            reports.removeFirst();
            LOG.log(System.Logger.Level.WARNING, "controller unreachable for " + MAX_REPORTS + " windows: dropped the oldest report");
        }
        reports.addLast(report);
    }

    /** From the slow-call watcher's thread. */
    void add(SlowCall c) {
        if (slowCalls.size() >= MAX_SLOW_CALLS) {
            SpoolFiles.deleteQuietly(c.file());
            LOG.log(System.Logger.Level.WARNING, MAX_SLOW_CALLS + " slow calls wait for the controller: dropped the one of "
                    + c.startMillis());
            return;
        }
        slowCalls.addLast(c);
    }

    int pending() {
        return profiles.size() + reports.size() + slowCalls.size();
    }

    /**
     * Sends profiles, then reports, each in order until its first transient failure (no answer, 5xx
     * such as 507 for a full disk or 503, 408, 429); that queue keeps the rest and waits before trying
     * again, so a controller out of disk is not sent the same profile every second. Reports do not
     * wait behind profiles: a controller that cannot store profiles still steers with the reports.
     * What the controller refuses for good (any other 4xx) is dropped with a log line.
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
        if (now || profileRetry.due(time)) profileRetry.after(sendProfiles(client), time, profiles.size());
        if (now || reportRetry.due(time)) reportRetry.after(sendReports(client), time, reports.size());
        if (now || slowCallRetry.due(time)) slowCallRetry.after(sendSlowCalls(client), time, slowCalls.size());
    }

    /** Null when every profile went; otherwise the transient failure that stopped it. */
    private IOException sendProfiles(ControllerClient client) throws InterruptedException {
        try {
            while (!profiles.isEmpty()) {
                Profile p = profiles.peekFirst();
                try {
                    client.postProfile(p.file(), p.windowStartMillis());
                } catch (ControllerClient.Rejected e) {
                    LOG.log(System.Logger.Level.WARNING, "profile dropped: " + e.getMessage());
                }
                profiles.removeFirst();
                SpoolFiles.deleteQuietly(p.file());
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private IOException sendReports(ControllerClient client) throws InterruptedException {
        try {
            while (!reports.isEmpty()) {
                try {
                    client.postReport(reports.peekFirst());
                } catch (ControllerClient.Rejected e) {
                    LOG.log(System.Logger.Level.WARNING, "report dropped: " + e.getMessage());
                }
                reports.removeFirst();
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Like profiles; one the controller refuses over its rate limit (429) is dropped, not sent again. */
    private IOException sendSlowCalls(ControllerClient client) throws InterruptedException {
        try {
            while (!slowCalls.isEmpty()) {
                SlowCall c = slowCalls.peekFirst();
                try {
                    client.postSlowCall(c);
                } catch (ControllerClient.Rejected e) {
                    LOG.log(System.Logger.Level.INFO, "slow call dropped: " + e.getMessage());
                }
                slowCalls.removeFirst();
                SpoolFiles.deleteQuietly(c.file());
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
                if (failing) LOG.log(System.Logger.Level.INFO, "controller takes " + what + " again; pending ones sent");
                failing = false;
                waitNanos = FIRST_RETRY_NANOS;
                return;
            }
            if (!failing) LOG.log(System.Logger.Level.WARNING, "cannot send " + what + " to the controller, keeping " + left
                    + " for later (retried after " + TimeUnit.NANOSECONDS.toSeconds(FIRST_RETRY_NANOS) + " s, doubling to "
                    + TimeUnit.NANOSECONDS.toSeconds(MAX_RETRY_NANOS) + " s): " + failure);
            failing = true;
            dueNanos = now + waitNanos;
            waitNanos = Math.min(2 * waitNanos, MAX_RETRY_NANOS);
        }
    }
}
