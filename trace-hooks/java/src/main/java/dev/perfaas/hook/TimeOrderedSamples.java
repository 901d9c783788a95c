package dev.perfaas.hook;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.zip.GZIPInputStream;

/**
 * A profile's samples, taken in the order a recorder wrote them and written in time order, in
 * bounded memory. FlameScope reads a profile's end from its last sample line, so a sample earlier
 * than the one before breaks its heat map (docs/design.md, section 5), and a recording's order is
 * not time order: JFR writers flush per-thread or striped buffers, and perf rotates its output
 * after reading its ring buffers one by one, so a sample can land in the next file.
 *
 * <p>Up to a {@link Bound} of samples wait in memory. A full buffer is sorted and spilled to a run
 * file beside the profile (gzipped: stack text packs ~20 to 1); the runs are merged as the profile
 * is written, at most {@link #MAX_MERGED} at once. A profile within the bound is sorted in memory
 * and spills nothing. Equal times keep the order they came in. {@link #close()} removes the runs.
 */
final class TimeOrderedSamples implements Closeable {
    /** How much may wait in memory before it is spilled: samples, and characters of their text. */
    record Bound(int samples, long chars) {}

    /** ~16 MB of text: a sample of 50 frames is ~3 KB, so ~5,000 such samples, the most a usual cut holds. */
    static final Bound DEFAULT = new Bound(50_000, 16L << 20);

    /** Runs read at once, each with a buffer and an inflater; more are merged in passes first. */
    static final int MAX_MERGED = 32;

    private record Sample(long time, String text) {}

    private record Run(Path file, long samples) {}

    private final Path beside;
    private final Bound bound;
    private final List<Sample> buffer = new ArrayList<>();
    private long bufferedChars;
    private List<Run> runs = new ArrayList<>();
    private final List<Path> spooled = new ArrayList<>(); // every run file made, removed by close()
    private long size;

    /** Run files, if any, go beside {@code file}, named after it. */
    TimeOrderedSamples(Path file, Bound bound) {
        this.beside = file.toAbsolutePath();
        this.bound = bound;
    }

    /** One sample: its time (any one clock) and its text, its header line to its blank line. */
    void add(long time, String text) throws IOException {
        buffer.add(new Sample(time, text));
        bufferedChars += text.length();
        size++;
        if (buffer.size() >= bound.samples() || bufferedChars >= bound.chars()) {
            spill();
        }
    }

    long size() {
        return size;
    }

    /** Writes every sample added, in time order; once. */
    void writeTo(Writer out) throws IOException {
        if (runs.isEmpty()) {
            buffer.sort(Comparator.comparingLong(Sample::time)); // a List sort is stable
            for (Sample s : buffer) {
                out.write(s.text());
            }
            buffer.clear();
            return;
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        while (runs.size() > MAX_MERGED) {
            List<Run> merged = new ArrayList<>();
            for (int i = 0; i < runs.size(); i += MAX_MERGED) {
                List<Run> group = runs.subList(i, Math.min(runs.size(), i + MAX_MERGED));
                long samples = group.stream().mapToLong(Run::samples).sum();
                Run into = newRun(samples);
                try (DataOutputStream w = runWriter(into)) {
                    merge(group, (time, text) -> write(w, time, text));
                }
                group.forEach(r -> SpoolFiles.deleteQuietly(r.file()));
                merged.add(into);
            }
            runs = merged;
        }
        merge(runs, (time, text) -> out.write(new String(text, StandardCharsets.UTF_8)));
    }

    /** Removes every run file; the samples are gone. */
    @Override
    public void close() {
        buffer.clear();
        SpoolFiles.deleteQuietly(spooled.toArray(Path[]::new));
        spooled.clear();
        runs.clear();
    }

    private void spill() throws IOException {
        buffer.sort(Comparator.comparingLong(Sample::time));
        Run run = newRun(buffer.size());
        try (DataOutputStream w = runWriter(run)) {
            for (Sample s : buffer) {
                write(w, s.time(), s.text().getBytes(StandardCharsets.UTF_8));
            }
        }
        runs.add(run);
        buffer.clear();
        bufferedChars = 0;
    }

    private Run newRun(long samples) throws IOException {
        Path file = Files.createTempFile(beside.getParent(), beside.getFileName() + ".", ".run");
        spooled.add(file);
        return new Run(file, samples);
    }

    /** A run file: its sample count, then per sample its time, its text's length and the text in UTF-8. */
    private static DataOutputStream runWriter(Run run) throws IOException {
        DataOutputStream w =
                new DataOutputStream(new BufferedOutputStream(ProfileFile.fastGzip(run.file(), 1 << 13), 1 << 13));
        w.writeLong(run.samples());
        return w;
    }

    private static void write(DataOutputStream w, long time, byte[] text) throws IOException {
        w.writeLong(time);
        w.writeInt(text.length);
        w.write(text);
    }

    private interface Sink {
        void accept(long time, byte[] text) throws IOException;
    }

    /** A k-way merge of sorted runs; on equal times the earlier run first, so the order they came in stays. */
    private static void merge(List<Run> group, Sink sink) throws IOException {
        List<RunReader> readers = new ArrayList<>();
        try {
            PriorityQueue<RunReader> next = new PriorityQueue<>(
                    Comparator.comparingLong((RunReader r) -> r.time).thenComparingInt(r -> r.order));
            for (Run run : group) {
                RunReader r = new RunReader(run.file(), readers.size());
                readers.add(r);
                if (r.next()) {
                    next.add(r);
                }
            }
            while (!next.isEmpty()) {
                RunReader r = next.poll();
                sink.accept(r.time, r.text);
                if (r.next()) {
                    next.add(r);
                }
            }
        } finally {
            SpoolFiles.closeQuietly(readers.toArray(AutoCloseable[]::new));
        }
    }

    private static final class RunReader implements AutoCloseable {
        private final DataInputStream in;
        private final int order;
        private long left;
        long time;
        byte[] text;

        RunReader(Path file, int order) throws IOException {
            InputStream raw = Files.newInputStream(file);
            try {
                this.in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 13)));
                this.left = in.readLong();
            } catch (IOException e) {
                raw.close();
                throw e;
            }
            this.order = order;
        }

        boolean next() throws IOException {
            if (left == 0) {
                return false;
            }
            left--;
            time = in.readLong();
            text = in.readNBytes(in.readInt());
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
