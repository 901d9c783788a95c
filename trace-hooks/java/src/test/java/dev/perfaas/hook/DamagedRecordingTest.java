package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
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

    /**
     * The reader makes an array as long as a count the file gives: the metadata's string count set to
     * 2^31 - 1 (a byte scrambled there reads so) is this recording's IOException, not an
     * OutOfMemoryError on the window thread.
     */
    @Test
    void aCountBeyondTheHeapIsAnIoErrorNamingIt() throws Exception {
        byte[] bytes = Files.readAllBytes(record());
        int at = (int) ByteBuffer.wrap(bytes).getLong(24); // the chunk header's metadata offset
        for (int field = 0; field < 5; field++) { // its size, type, start, duration and id
            while ((bytes[at++] & 0x80) != 0) {}
        }
        int countEnd = at;
        while ((bytes[countEnd++] & 0x80) != 0) {}
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] damagedBytes = new byte[bytes.length - (countEnd - at) + huge.length];
        System.arraycopy(bytes, 0, damagedBytes, 0, at);
        System.arraycopy(huge, 0, damagedBytes, at, huge.length);
        System.arraycopy(bytes, countEnd, damagedBytes, at + huge.length, bytes.length - countEnd);
        Path damaged = Files.write(dir.resolve("damaged.jfr"), damagedBytes);

        IOException e = assertThrows(
                IOException.class,
                () -> JfrScript.render(
                        damaged,
                        dir.resolve("damaged.perf.gz"),
                        Map.of(),
                        0,
                        JfrScript.Clock.WALL,
                        1_003_000L,
                        "test"));
        assertTrue(e.getMessage().contains("damaged.jfr") && e.getMessage().contains("count"), e.getMessage());
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
