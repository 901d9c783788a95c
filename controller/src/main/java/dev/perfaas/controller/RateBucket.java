package dev.perfaas.controller;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled evenly at {@code perMinute}, so a client
 * may send a burst (an instance's backlog after an outage, a storm's first slow calls) but no more
 * than the rate over time. Not thread-safe: its owner holds a lock around it.
 */
public final class RateBucket {

    // The bucket counts in 1/60,000ths of a token, so that each millisecond adds a whole number
    // (perMinute) of them: exact arithmetic, no rounding at the edge of a refusal.
    private static final long MINUTE_MILLIS = 60_000;

    private final long perMinute;
    private final long capacity;
    private long level;
    private long lastMillis;

    /** Full at {@code nowMillis}. */
    public RateBucket(int perMinute, int burst, long nowMillis) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException(
                    "a rate needs perMinute and burst >= 1, got " + perMinute + " and " + burst);
        }
        this.perMinute = perMinute;
        this.capacity = burst * MINUTE_MILLIS;
        this.level = capacity;
        this.lastMillis = nowMillis;
    }

    /** Takes a token and returns 0, or takes nothing and returns the milliseconds until one is there. */
    public long take(long nowMillis) {
        // A wall clock set back refills nothing; the time to fill refills all (and keeps the product in range).
        long elapsed = Math.max(0, nowMillis - lastMillis);
        level = elapsed >= capacity / perMinute ? capacity : Math.min(capacity, level + elapsed * perMinute);
        lastMillis = nowMillis;
        if (level >= MINUTE_MILLIS) {
            level -= MINUTE_MILLIS;
            return 0;
        }
        return (MINUTE_MILLIS - level + perMinute - 1) / perMinute;
    }
}
