package dev.perfaas.hook;

/**
 * Whether a perf still works and, once it does not, why. A failure is noted (and logged) once; perf's
 * exit replaces an earlier reason, as it says more; nothing counts as a failure once perf is being
 * stopped on purpose. Its own lock, taken after {@link PerfRecorder}'s, never before.
 */
final class PerfHealth {
    private static final System.Logger LOG = System.getLogger("perfaas");

    private boolean usable = true;
    private boolean stopping;
    private String failure;
    private boolean exitNoted;

    synchronized boolean usable() {
        return usable;
    }

    /** Why perf stopped working on its own; null while it works or was stopped on purpose. */
    synchronized String failure() {
        return failure;
    }

    /** perf is being stopped: no tracing, and what it does from now on is no failure. */
    synchronized void stopping() {
        usable = false;
        stopping = true;
    }

    void fail(String why) {
        synchronized (this) {
            usable = false;
            if (failure != null || stopping) {
                return;
            }
            failure = why;
        }
        LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
    }

    void exited(String why) {
        synchronized (this) {
            if (stopping || exitNoted) {
                return;
            }
            exitNoted = true;
            usable = false;
            failure = why;
        }
        LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
    }
}
