package dev.perfaas.controller.pyroscope;

import java.io.IOException;

/** A stored profile as pprof, when its turn to be pushed comes (off the upload path). */
@FunctionalInterface
interface PprofSource {

    /**
     * @param pprof       the profile, gzipped pprof
     * @param timeNanos   its time_nanos, which Pyroscope checks against its ingestion window
     * @param periodType  its period type ({@code cpu}, {@code wall}), which names the Pyroscope profile type
     * @param sampleTypes how many sample types it has: Pyroscope keeps a series for each
     * @param engine      the engine that sampled it
     * @param version     the function's version label
     */
    record Pprof(byte[] pprof, long timeNanos, String periodType, int sampleTypes, String engine, String version) {}

    /**
     * The profile at {@code path} (relative to the stacks directory); a NoSuchFileException when it is
     * gone, another IOException when it cannot be read or encoded.
     */
    Pprof encode(String path) throws IOException;
}
