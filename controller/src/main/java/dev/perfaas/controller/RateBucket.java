package dev.perfaas.controller.functions;

/**
 * A token bucket for one instance's reports: holds up to a minute's worth, refilled evenly, so an
 * instance may send a burst (its backlog after an outage) but no more than the rate over time.
 * Not thread-safe: the function's record holds its lock around it.
 */
final class ReportRate {

    // The bucket counts in 1/60,000ths of a report, so that each millisecond adds a whole number
    // (perMinute) of them: exact arithmetic, no rounding at the edge of a refusal.
    private static final long MINUTE_MILLIS = 60_000;

    private final long perMinute;
    private final long capacity;
    private long level;
    private long lastMillis;

    ReportRate(int perMinute, long nowMillis) {
        this.perMinute = perMinute;
        this.capacity = perMinute * MINUTE_MILLIS;
        this.level = capacity;
        this.lastMillis = nowMillis;
    }

    /** Takes a report's worth and returns 0, or takes nothing and returns the milliseconds until it is there. */
    long take(long nowMillis) {
        // A wall clock set back refills nothing; a minute or more refills all.
        long elapsed = Math.max(0, nowMillis - lastMillis);
        level = elapsed >= MINUTE_MILLIS ? capacity : Math.min(capacity, level + elapsed * perMinute);
        lastMillis = nowMillis;
        if (level >= MINUTE_MILLIS) {
            level -= MINUTE_MILLIS;
            return 0;
        }
        return (MINUTE_MILLIS - level + perMinute - 1) / perMinute;
    }
}
