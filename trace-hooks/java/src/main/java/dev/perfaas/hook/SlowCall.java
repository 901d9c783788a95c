package dev.perfaas.hook;

import java.nio.file.Path;

/**
 * A slow invocation's profile waiting for the controller.
 *
 * @param file           gzipped perf script text of the samples taken after the threshold
 * @param startMillis    when the invocation started, epoch millis (names the stored file)
 * @param callId         the platform's call id (X-Call-Id), or null
 * @param latencyMillis  the invocation's wall time; for one still running, the time it had run
 * @param thresholdMillis the threshold it passed
 * @param ended          false when the capture stopped at its limit with the invocation still running
 * @param samples        stack samples taken (the controller counts them again from the body)
 * @param frequencyHz    samples a second (one every {@link SlowCallWatcher#intervalMillis} ms)
 * @param clockOffsetNanos epoch minus CLOCK_MONOTONIC nanoseconds, to map the sample times to the epoch
 */
record SlowCall(
        Path file,
        long startMillis,
        String callId,
        double latencyMillis,
        long thresholdMillis,
        boolean ended,
        long samples,
        double frequencyHz,
        long clockOffsetNanos) {
    /** The engine named in its upload: the watcher's {@link Thread#getStackTrace()} sampling. */
    static final String ENGINE = "stack-walk";
}
