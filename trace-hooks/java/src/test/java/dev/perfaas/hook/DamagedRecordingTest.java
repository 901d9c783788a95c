package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording the engine left damaged (a disk that filled, a stop cut short) is read by a library,
 * async-profiler's JFR reader: whatever it holds, rendering it ends in a profile or an IOException
 * that names the recording, never another throwable on the window thread.
 */
class DamagedRecordingTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedOrScrambledRecordingIsAnIoErrorNamingIt() throws Exception {
        Path good = record();
        byte[] bytes = Files.readAllBytes(good);
        Map<Long, TracedIntervals.Lookup> everything = Map.of(
                Thread.currentThread().getId(),
                new TracedIntervals.Lookup(new long[] {Long.MIN_VALUE}, new long[] {Long.MAX_VALUE}));
        Path damaged = dir.resolve("damaged.jfr");
        Path out = dir.resolve("damaged.perf.gz");
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 50)) {
            Files.write(damaged, Arrays.copyOf(bytes, cut));
            IOException e = assertThrows(
                    IOException.class,
                    () -> JfrScript.render(damaged, out, everything, 0, JfrScript.Clock.WALL, 1_003_000L, "test"),
                    "a recording cut at byte " + cut + " of " + bytes.length);
            assertTrue(e.getMessage().contains("damaged.jfr"), e.getMessage());
        }
        Random random = new Random(22);
        for (int i = 0; i < 100; i++) {
            byte[] scrambled = bytes.clone();
            for (int k = 1 + random.nextInt(8); k > 0; k--) {
                scrambled[random.nextInt(scrambled.length)] = (byte) random.nextInt();
            }
            Files.write(damaged, scrambled);
            try {
                JfrScript.render(damaged, out, everything, 0, JfrScript.Clock.WALL, 1_003_000L, "test");
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("damaged.jfr"), e.getMessage());
            }
        }
    }

    /** A real recording: this thread traced for half a second at 997 Hz. */
    private Path record() throws Exception {
        AsyncSession s = AsyncSession.start(997, dir, "good", new CpuAccount());
        long start = System.nanoTime();
        s.enter();
        AsyncSessionTest.tracedWork(500_000_000L);
        s.leave(start, System.nanoTime());
        s.stop();
        Path copy = Files.copy(dir.resolve("good.jfr"), dir.resolve("copy.jfr"));
        assertNotNull(s.finish().file(), "async-profiler took no sample");
        return copy;
    }
}
