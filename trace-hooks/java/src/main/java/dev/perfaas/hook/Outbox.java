package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Profiles and reports waiting for the controller. A controller that is down or slow loses
 * nothing until it has been gone long enough to fill these bounds; then the oldest go first,
 * with a log line, so the function's disk and memory stay bounded. Filled and flushed by the
 * window thread; {@link #pending()} may be read from any thread.
 */
final class Outbox {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int MAX_REPORTS = 1_000;
    static final int MAX_PROFILES = 32;

    record Profile(Path file, long windowStartMillis, long samples) {}

    private final Deque<Profile> profiles = new ConcurrentLinkedDeque<>();
    private final Deque<String> reports = new ConcurrentLinkedDeque<>();
    private boolean failing;

    void add(Profile p) {
        if (profiles.size() == MAX_PROFILES) {
            Profile dropped = profiles.removeFirst();
            PerfSession.deleteQuietly(dropped.file());
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

    int pending() {
        return profiles.size() + reports.size();
    }

    /** Sends in order; stops at the first transient failure and keeps the rest for next time. */
    void flush(ControllerClient client) throws InterruptedException {
        try {
            while (!profiles.isEmpty()) {
                Profile p = profiles.peekFirst();
                try {
                    client.postProfile(p.file(), p.windowStartMillis(), p.samples());
                } catch (ControllerClient.Rejected e) {
                    LOG.log(System.Logger.Level.WARNING, "profile dropped: " + e.getMessage());
                }
                profiles.removeFirst();
                PerfSession.deleteQuietly(p.file());
            }
            while (!reports.isEmpty()) {
                try {
                    client.postReport(reports.peekFirst());
                } catch (ControllerClient.Rejected e) {
                    LOG.log(System.Logger.Level.WARNING, "report dropped: " + e.getMessage());
                }
                reports.removeFirst();
            }
            if (failing) LOG.log(System.Logger.Level.INFO, "controller reachable again; pending profiles and reports sent");
            failing = false;
        } catch (IOException e) {
            if (!failing) LOG.log(System.Logger.Level.WARNING, "cannot reach the controller, keeping " + pending() + " items for later: " + e);
            failing = true;
        }
    }
}
