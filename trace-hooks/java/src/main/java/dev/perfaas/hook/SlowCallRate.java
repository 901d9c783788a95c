package dev.perfaas.hook;

/**
 * The policy's rate limit on slow-call captures, per instance: a token bucket of
 * {@code slowCallBurst} refilled at {@code slowCallsPerMinute}. The controller applies the same
 * limit per function and refuses what is over; this one spares the instance captures it would
 * refuse. Watcher thread only.
 */
final class SlowCallRate {
    private double tokens = -1; // full at the first take
    private long lastNanos;

    boolean take(Policy p, long nowNanos) {
        int burst = p.slowCallBurst();
        if (tokens < 0) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 60e9 * p.slowCallsPerMinute());
        }
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
