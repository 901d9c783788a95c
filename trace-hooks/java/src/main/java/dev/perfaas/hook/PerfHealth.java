package dev.perfaas.hook;

import java.util.Objects;

/**
 * Whether a perf still works and, once it does not, why. The first failure is kept and logged; perf's
 * exit replaces it (logged too), as it says more; nothing counts as a failure once perf is being
 * stopped on purpose. Writers lock among themselves and call nothing under the lock; reads are
 * volatile, so a traced invocation's {@link PerfRecorder#enter} takes no second monitor.
 */
final class PerfHealth {
    private static final System.Logger LOG = System.getLogger("perfaas");

    private volatile boolean stopping;
    private volatile String failure;
    private boolean exitNoted; // guarded by this

    boolean usable() {
        return !stopping && failure == null;
    }

    /** Why perf stopped working on its own; null while it works or was stopped on purpose. */
    String failure() {
        return failure;
    }

    /** perf is being stopped: no tracing, and what it does from now on is no failure. */
    synchronized void stopping() {
        stopping = true;
    }

    void fail(String why) {
        synchronized (this) {
            if (failure != null || stopping) {
                return;
            }
            failure = Objects.requireNonNullElse(why, "perf failed"); // an exception's message may be null
        }
        LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
    }

    void exited(String why) {
        synchronized (this) {
            if (stopping || exitNoted) {
                return;
            }
            exitNoted = true;
            failure = Objects.requireNonNullElse(why, "perf exited");
        }
        LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
    }
}
