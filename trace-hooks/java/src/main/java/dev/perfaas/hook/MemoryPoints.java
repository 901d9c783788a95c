package dev.perfaas.hook;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A window's (tag, allocated bytes) points: a uniform sample of {@link #SIZE} of the measured
 * invocations (reservoir sampling), so a report stays small whatever the load, and the controller
 * fits memory against the input over many windows' points. Offered only by measured invocations
 * (one in {@link Invocation#MEMORY_SAMPLE_EVERY}), so the lock is rarely contended.
 */
final class MemoryPoints {
    static final int SIZE = 64;

    private final long[] tags = new long[SIZE];
    private final long[] bytes = new long[SIZE];
    private long seen;

    synchronized void offer(long tag, long allocated) {
        long i = seen++;
        int slot = i < SIZE
                ? (int) i
                : (int) Math.min(SIZE, ThreadLocalRandom.current().nextLong(i + 1));
        if (slot < SIZE) {
            tags[slot] = tag;
            bytes[slot] = allocated;
        }
    }

    /** {@code "pointsSeen":n,"points":[[tag,bytes],...]} */
    synchronized void appendJson(StringBuilder sb) {
        sb.append("\"pointsSeen\":").append(seen).append(",\"points\":[");
        for (int i = 0; i < Math.min(seen, SIZE); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[').append(tags[i]).append(',').append(bytes[i]).append(']');
        }
        sb.append(']');
    }
}
