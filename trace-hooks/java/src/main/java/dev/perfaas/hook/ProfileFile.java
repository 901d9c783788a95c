package dev.perfaas.hook;

import java.nio.file.Path;

/**
 * A rendered profile: gzipped perf script text, or a null {@code file} when it holds no sample.
 * {@code samplesInTraced} counts the samples whose time falls inside a traced invocation.
 */
record ProfileFile(Path file, long samples, long samplesInTraced) {
    static final ProfileFile EMPTY = new ProfileFile(null, 0, 0);
}
