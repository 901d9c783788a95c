package dev.perfaas.hook;

import java.nio.file.Path;

/**
 * A rendered profile: gzipped perf script text, or a null {@code file} when it holds no sample.
 * {@code samplesInTraced} counts the samples whose time falls inside a traced invocation.
 */
record ProfileFile(Path file, long samples, long samplesInTraced) {
    static final ProfileFile EMPTY = new ProfileFile(null, 0, 0);

    /**
     * The fewest samples a profile FlameScope opens holds: its flame graph takes a profile's end from
     * a sample after the first (app/perf/flame_graph.py, _get_profile_range), so one sample leaves the
     * end at -inf and it answers HTTP 500. The controller refuses such a body; the hook never sends one.
     */
    static final int MIN_SAMPLES = 2;
}
