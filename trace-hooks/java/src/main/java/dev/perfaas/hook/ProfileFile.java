package dev.perfaas.hook;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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

    /**
     * A writer of a profile's text into {@code file}, gzipped at the fastest level: perf script text
     * still packs ~50 to 1 there, against ~70 to 1 at the default level for twice the CPU (BENCHMARKS.md,
     * section 9), paid in the function's process on every profile.
     */
    static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fastGzip(file, 1 << 16), StandardCharsets.UTF_8));
    }

    /** A gzip stream into {@code file} at the fastest level, for what the hook writes and reads back or sends. */
    static OutputStream fastGzip(Path file, int bufferSize) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(file), bufferSize) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }
}
