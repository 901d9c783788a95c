package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Turns perf.data files into the gzipped {@code perf script --header} text FlameScope reads,
 * counting the samples and how many fall inside traced invocations on the way through.
 */
final class PerfScript {
    private PerfScript() {}

    /** One profile from {@code data} (perf's files in time order; the first gives the header). */
    static ProfileFile render(String perfCommand, List<Path> data, Path outGz, TracedIntervals.Lookup traced)
            throws IOException {
        long samples = 0;
        long inside = 0;
        PerfMap.refresh();
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(outGz), 1 << 16), StandardCharsets.UTF_8))) {
            for (Path file : data) {
                List<String> cmd = new ArrayList<>(List.of(perfCommand, "script"));
                if (file == data.get(0)) {
                    cmd.add("--header");
                }
                cmd.addAll(List.of("-i", file.toString()));
                Path errors = Files.createTempFile(file.getParent(), ".perf-script", ".log");
                Process p =
                        new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        out.write(line);
                        out.write('\n');
                        long t = sampleTimeNanos(line);
                        if (t < 0) {
                            continue;
                        }
                        samples++;
                        if (traced.contains(t)) {
                            inside++;
                        }
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
                String stderr = Files.readString(errors).strip();
                Files.deleteIfExists(errors);
                if (p.exitValue() != 0) {
                    throw new IOException("perf script failed (exit " + p.exitValue() + "): " + stderr);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(outGz);
            throw e;
        } finally {
            PerfMap.release();
        }
        if (samples == 0) {
            Files.deleteIfExists(outGz);
            return ProfileFile.EMPTY;
        }
        return new ProfileFile(outGz, samples, inside);
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
