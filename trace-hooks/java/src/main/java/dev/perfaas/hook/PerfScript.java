package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns perf.data files into the gzipped {@code perf script --header} text FlameScope reads,
 * counting the samples and how many fall inside traced invocations on the way through. The samples
 * are written in time order ({@link TimeOrderedSamples}): within one file perf script sorts them,
 * but perf switches files after reading its ring buffers one by one, so a sample taken meanwhile in
 * a buffer already read lands in the next file, before samples of the last one. Frame symbols from
 * the JIT map are made the same in every JVM ({@link FrameNames}).
 */
final class PerfScript {
    private PerfScript() {}

    /** One profile from {@code data} (perf's files in the order perf wrote them; the first gives the header). */
    static ProfileFile render(String perfCommand, List<Path> data, Path outGz, TracedIntervals.Lookup traced)
            throws IOException {
        long inside = 0;
        PerfMap.refresh();
        try (TimeOrderedSamples samples = new TimeOrderedSamples(outGz, TimeOrderedSamples.DEFAULT);
                Writer out = ProfileFile.writer(outGz)) {
            for (Path file : data) {
                inside += script(perfCommand, file, file == data.get(0), out, samples, traced);
            }
            samples.writeTo(out);
            if (samples.size() > 0) {
                return new ProfileFile(outGz, samples.size(), inside);
            }
        } catch (IOException e) {
            Files.deleteIfExists(outGz);
            throw e;
        } finally {
            PerfMap.release();
        }
        Files.deleteIfExists(outGz);
        return ProfileFile.EMPTY;
    }

    /**
     * Runs perf script on one file: the lines before its first sample (perf's header) go to
     * {@code header}, each sample (its line, its frames, its blank line) to {@code samples}.
     * Returns how many samples fall inside traced invocations.
     */
    private static long script(
            String perfCommand,
            Path file,
            boolean withHeader,
            Writer header,
            TimeOrderedSamples samples,
            TracedIntervals.Lookup traced)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(perfCommand, "script"));
        if (withHeader) {
            cmd.add("--header");
        }
        cmd.addAll(List.of("-i", file.toString()));
        Path errors = Files.createTempFile(file.getParent(), ".perf-script", ".log");
        try {
            return read(
                    new ProcessBuilder(cmd).redirectError(errors.toFile()).start(), errors, header, samples, traced);
        } finally {
            SpoolFiles.deleteQuietly(errors);
        }
    }

    /** Reads one perf script's output as {@link #script} says. */
    private static long read(
            Process p, Path errors, Writer header, TimeOrderedSamples samples, TracedIntervals.Lookup traced)
            throws IOException {
        long inside = 0;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder sample = new StringBuilder(4096);
            long time = -1;
            String line;
            while ((line = in.readLine()) != null) {
                long t = sampleTimeNanos(line);
                if (t >= 0) {
                    if (time >= 0) {
                        samples.add(time, sample.toString());
                    }
                    sample.setLength(0);
                    time = t;
                    if (traced.contains(t)) {
                        inside++;
                    }
                    line = offWholeSecond(line);
                }
                if (time >= 0) {
                    sample.append(FrameNames.stablePerfFrame(line)).append('\n');
                } else {
                    header.write(line);
                    header.write('\n');
                }
            }
            if (time >= 0) {
                samples.add(time, sample.toString());
            }
        } finally {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (p.exitValue() != 0) {
            throw new IOException("perf script failed (exit " + p.exitValue() + "): "
                    + Files.readString(errors).strip());
        }
        return inside;
    }

    /**
     * {@code line}, a sample header line ({@link #sampleTimeNanos} reads its time), with a time on a
     * whole second written one unit of its last decimal later (perf prints microseconds: 1 us), for
     * the reason and with the order kept as in {@link JfrScript#offWholeSecond}. Its order key in
     * {@link TimeOrderedSamples} and its attribution keep perf's own time.
     */
    static String offWholeSecond(String line) {
        int colon = line.indexOf(": ");
        int dot = line.indexOf('.', line.lastIndexOf(' ', colon - 1) + 1);
        if (dot < 0 || dot + 1 >= colon) {
            return line;
        }
        for (int i = dot + 1; i < colon; i++) {
            if (line.charAt(i) != '0') {
                return line;
            }
        }
        return line.substring(0, colon - 1) + '1' + line.substring(colon);
    }

    /**
     * The time of a sample header line ({@code comm pid [cpu] 47.519493: period event:}) in
     * CLOCK_MONOTONIC nanoseconds, or -1 for header comments, stack frames and blank lines. This reads
     * perf's own output to attribute and count samples; it validates nothing: what FlameScope opens is
     * the controller's rule (PerfScriptCheck), which refuses a profile that breaks it.
     */
    static long sampleTimeNanos(String line) {
        if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '\t' || line.charAt(0) == ' ') {
            return -1;
        }
        int colon = line.indexOf(": ");
        if (colon < 0) {
            return -1;
        }
        int start = line.lastIndexOf(' ', colon - 1) + 1;
        int dot = line.indexOf('.', start);
        if (dot < 0 || dot > colon) {
            return -1;
        }
        try {
            long seconds = Long.parseLong(line, start, dot, 10);
            String frac = line.substring(dot + 1, Math.min(colon, dot + 10));
            long nanos = Long.parseLong(frac);
            for (int i = frac.length(); i < 9; i++) {
                nanos *= 10;
            }
            return seconds * 1_000_000_000L + nanos;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
