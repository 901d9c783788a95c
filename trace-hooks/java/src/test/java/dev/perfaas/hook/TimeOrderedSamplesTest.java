package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeOrderedSamplesTest {
    @TempDir
    Path dir;

    /** 2,000 samples at times 0-99 (many equal): whatever the bound, a stable sort by time, and no run file left. */
    @ParameterizedTest(name = "at most {0} samples or {1} chars in memory")
    @CsvSource({
        "50000, 16777216", // in memory, nothing spilled
        "7, 1048576", // 286 runs: merged in passes of 32
        "1000000, 500", // spilled by size
    })
    void writesInTimeOrderKeepingTheOrderOfEqualTimes(int samples, long chars) throws IOException {
        Random random = new Random(19);
        List<long[]> added = new ArrayList<>(); // time, order added
        StringWriter out = new StringWriter();
        try (TimeOrderedSamples s =
                new TimeOrderedSamples(dir.resolve("p.perf.gz"), new TimeOrderedSamples.Bound(samples, chars))) {
            for (int i = 0; i < 2_000; i++) {
                long t = random.nextInt(100);
                added.add(new long[] {t, i});
                s.add(t, text(t, i));
            }
            assertEquals(2_000, s.size());
            s.writeTo(out);
        }
        added.sort(Comparator.comparingLong(a -> a[0])); // stable
        StringBuilder expected = new StringBuilder();
        added.forEach(a -> expected.append(text(a[0], a[1])));
        assertEquals(expected.toString(), out.toString());
        assertEquals(List.of(), files(), "run files left");
    }

    @Test
    void aFailedWriteLeavesNoRunFile() throws IOException {
        TimeOrderedSamples s =
                new TimeOrderedSamples(dir.resolve("p.perf.gz"), new TimeOrderedSamples.Bound(5, 1 << 20));
        for (int i = 0; i < 100; i++) {
            s.add(100 - i, text(100 - i, i));
        }
        assertFalse(files().isEmpty(), "spilled");
        Writer broken = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        assertThrows(IOException.class, () -> s.writeTo(broken));
        s.close();
        assertEquals(List.of(), files(), "run files left");
    }

    private static String text(long time, long order) {
        return "sample " + order + " at " + time + "\n\tframe\n\n";
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
