package dev.perfaas.controller.pyroscope;

import java.io.IOException;

/** A stored profile as pprof, when its turn to be pushed comes (off the upload path). */
interface PprofSource {

    /**
     * @param pprof      the profile, gzipped pprof
     * @param timeNanos  its time_nanos, which Pyroscope checks against its ingestion window (0: unknown)
     * @param periodType its period type ({@code cpu}, {@code wall}), which names the Pyroscope profile type
     * @param series     how many Pyroscope series it makes under one set of labels: one per sample type,
     *                   twice that for wall profiles, whose samples are labelled {@code state}
     * @param engine     the engine that sampled it
     * @param version    the function's version label
     */
    record Pushable(byte[] pprof, long timeNanos, String periodType, int series, String engine, String version) {}

    /** Every profile read slot is taken (the dashboard's reads): try again shortly. */
    final class Busy extends IOException {
        Busy(String message) {
            super(message);
        }
    }

    /**
     * The profile at {@code path} (relative to the stacks directory), its samples labelled with their
     * instance or not; a NoSuchFileException when it is gone, {@link Busy}, or another IOException when
     * it cannot be read or encoded.
     */
    Pushable encode(String path, boolean withInstance) throws IOException;
}
