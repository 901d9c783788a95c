package dev.perfaas.hook;

import java.lang.management.ManagementFactory;

/**
 * This process's cold start: its first invocation claims it, and is measured against the time the
 * runtime said it was ready (the instance's init) and the container's identity. Once claimed, asking
 * costs one volatile read.
 */
final class ColdStartClock {
    private final InstanceIdentity identity = InstanceIdentity.read();
    private volatile boolean warm;
    /** System.nanoTime() as the first invocation began; written before warm, read after it. */
    private volatile long firstInvocationNanos;
    /** JVM uptime when the runtime said it was ready; -1 until it does. */
    private volatile long startToReadyMillis = -1;

    void ready() {
        startToReadyMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** Whether the process's first invocation has begun. */
    boolean claimed() {
        return warm;
    }

    /** True for the process's first invocation only. */
    boolean claim() {
        if (warm) {
            return false;
        }
        synchronized (this) {
            if (warm) {
                return false;
            }
            firstInvocationNanos = System.nanoTime();
            warm = true;
            return true;
        }
    }

    /**
     * How long ago ({@code nowNanos}) the process's first invocation began, if it began at or after
     * {@code sinceNanos}; -1 otherwise (none yet, or before then).
     */
    long firstInvocationAge(long sinceNanos, long nowNanos) {
        if (!warm) {
            return -1;
        }
        long first = firstInvocationNanos;
        return first - sinceNanos >= 0 ? nowNanos - first : -1;
    }

    /** The cold start of the invocation that claimed it, which took {@code wallNanos}. */
    Window.ColdStart measured(long wallNanos) {
        return new Window.ColdStart(
                ManagementFactory.getRuntimeMXBean().getUptime(), wallNanos, startToReadyMillis, identity);
    }
}
