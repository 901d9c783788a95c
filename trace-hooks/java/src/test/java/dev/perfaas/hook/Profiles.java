package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/** Reading the gzipped perf script text the hook writes, for tests. */
final class Profiles {
    private Profiles() {}

    static List<String> lines(Path gz) throws IOException {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    static String text(Path gz) throws IOException {
        return String.join("\n", lines(gz));
    }

    /** The sample header lines, in the file's order. */
    static List<String> sampleLines(Path gz) throws IOException {
        return lines(gz).stream()
                .filter(l -> PerfScript.sampleTimeNanos(l) >= 0)
                .toList();
    }

    /** Each sample whole, its header line and its frame lines joined by newlines, in the file's order. */
    static List<String> samples(Path gz) throws IOException {
        List<String> samples = new ArrayList<>();
        StringBuilder one = null;
        for (String l : lines(gz)) {
            if (PerfScript.sampleTimeNanos(l) >= 0) {
                if (one != null) {
                    samples.add(one.toString());
                }
                one = new StringBuilder(l);
            } else if (one != null && l.startsWith("\t")) {
                one.append('\n').append(l);
            }
        }
        if (one != null) {
            samples.add(one.toString());
        }
        return samples;
    }

    /** The symbols of every frame line ({@code \t<address> symbol (module)}). */
    static Set<String> frameNames(Path gz) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String l : lines(gz)) {
            if (l.startsWith("\t")) {
                String frame = l.strip();
                names.add(frame.substring(frame.indexOf(' ') + 1, frame.lastIndexOf(" (")));
            }
        }
        return names;
    }

    /** Fails unless every sample is at or after the one before: FlameScope reads a profile's end from its last. */
    static void assertTimeOrdered(Path gz) throws IOException {
        long last = Long.MIN_VALUE;
        List<String> samples = sampleLines(gz);
        assertTrue(!samples.isEmpty(), "no sample in " + gz);
        for (String l : samples) {
            long t = PerfScript.sampleTimeNanos(l);
            assertTrue(t >= last, gz.getFileName() + ": " + l + " after a sample at " + last + " ns");
            last = t;
        }
    }

    /** How many times a time is earlier than the one before it. */
    static int inversions(List<Long> times) {
        int n = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) < times.get(i - 1)) {
                n++;
            }
        }
        return n;
    }

    static List<Long> times(List<String> sampleLines) {
        List<Long> times = new ArrayList<>();
        for (String l : sampleLines) {
            times.add(PerfScript.sampleTimeNanos(l));
        }
        return times;
    }
}
