package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real async-profiler in this JVM: traced and untraced work alternate on one thread in methods of
 * their own, so a sample's frames say which one it hit, whatever the clocks say.
 */
class AsyncSessionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} us invocations")
    @ValueSource(longs = {500, 5_000})
    void samplesOnlyTracedInvocations(long micros) throws Exception {
        CpuAccount cpu = new CpuAccount();
        long before = cpu.totalNanos();
        AsyncSession s = AsyncSession.start(997, dir, "a" + micros, cpu);
        long rounds = 1_000_000 / micros; // 1 s traced, 1 s untraced
        for (long i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            assertTrue(s.enter());
            tracedWork(micros * 1_000);
            long end = System.nanoTime();
            s.leave(start, end);
            untracedWork(micros * 1_000);
        }
        s.awaitIdle(1_000);
        ProfileFile profile = s.finish();
        assertNotNull(profile.file(), "async-profiler took no sample");
        FlameScope.assertOpens(profile.file(), profile.samples());
        List<String> samples = Profiles.samples(profile.file());
        assertEquals(profile.samples(), samples.size());
        long traced = samples.stream()
                .filter(x -> x.contains("AsyncSessionTest.tracedWork")
                        || x.contains("AsyncSession.include")
                        || x.contains("AsyncSession.exclude"))
                .count();
        long untraced = samples.stream()
                .filter(x -> x.contains("AsyncSessionTest.untracedWork"))
                .count();
        assertTrue(samples.size() > 100, samples.size() + " samples for 1 s traced at 997 Hz");
        assertTrue(
                traced >= 0.99 * samples.size(),
                traced + " of " + samples.size() + " samples in the traced invocations");
        assertTrue(untraced <= 0.01 * samples.size(), untraced + " of " + samples.size() + " samples in untraced work");
        assertTrue(cpu.totalNanos() > before, "the profiler's own threads are counted as the tracer's CPU");
        assertTrue(Files.notExists(dir.resolve("a" + micros + ".jfr")), "the recording is removed once rendered");
    }

    @Test
    void aNewSessionEndsTheLastOneAndBothRender() throws Exception {
        CpuAccount cpu = new CpuAccount();
        AsyncSession first = AsyncSession.start(499, dir, "first", cpu);
        traced(first, 200_000_000L);
        AsyncSession second = AsyncSession.start(499, dir, "second", cpu);
        assertTrue(!first.usable() && second.usable(), "one recording at a time");
        traced(second, 200_000_000L);
        for (ProfileFile profile : List.of(first.finish(), second.finish())) {
            assertTrue(profile.samples() > 0);
            FlameScope.assertOpens(profile.file(), profile.samples());
        }
    }

    private static void traced(AsyncSession s, long nanos) {
        long start = System.nanoTime();
        assertTrue(s.enter());
        tracedWork(nanos);
        s.leave(start, System.nanoTime());
    }

    static volatile double sink;

    static void tracedWork(long nanos) {
        double x = 0;
        for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) {
            x += Math.sqrt(x + 1);
        }
        sink = x;
    }

    static void untracedWork(long nanos) {
        double x = 0;
        for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) {
            x += Math.cbrt(x + 1);
        }
        sink = x;
    }
}
