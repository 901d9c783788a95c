package dev.perfaas.hook;

import java.util.concurrent.TimeUnit;

/**
 * {@code PERFAAS_ENGINE=host-perf}: the perfaas node agent profiles this JVM from the host, and the
 * hook samples nothing and reports nothing. perf on the host names JIT-compiled Java frames from
 * {@code /tmp/perf-<pid>.map}, which only the JVM can write: this keeps it fresh, every
 * {@link #REFRESH_SECONDS} s, so a method compiled (or recompiled by C2) is named in the agent's
 * next profile. The map stays while the JVM runs (the agent copies it when it renders a profile).
 */
final class NodePerfMap {
    static final String ENGINE = "host-perf";
    /** Below the agent's shortest window (10 s): each profile sees a map at most 5 s old. */
    static final long REFRESH_SECONDS = 5;

    private NodePerfMap() {}

    /** True when the environment hands this function's profiling to the node agent. */
    static boolean requested(String engine) {
        return ENGINE.equals(engine);
    }

    /** Starts the refresher thread (a daemon: it never holds the JVM up). */
    static Thread start() {
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        PerfMap.refresh();
                        try {
                            TimeUnit.SECONDS.sleep(REFRESH_SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "perfaas-node-perf-map");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
