package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real perf, attached to this test JVM. */
class PerfSessionTest {
    @TempDir
    Path dir;

    @Test
    void samplesOnlyWhileEnabledAndAttributesSamplesToTracedIntervals() throws Exception {
        PerfSession s = PerfSession.start("perf", 499, dir, "t1", List.of(), new CpuAccount());
        burn(200_000_000L); // untraced: events are disabled, so no sample should land here
        for (int i = 0; i < 5; i++) {
            assertTrue(s.enter());
            long start = System.nanoTime();
            burn(100_000_000L);
            s.leave(start, System.nanoTime());
        }
        s.stop();
        assertTrue(Files.size(s.dataFile) > 0, "perf wrote its data file");
        assertFalse(Files.exists(dir.resolve("t1.ctl")), "control fifo removed");

        ProfileFile r = PerfScript.render("perf", s.dataFile, dir.resolve("t1.perf.gz"), s.intervals().lookup());
        assertNotNull(r.file());
        assertTrue(r.samples() >= 20, "samples: " + r.samples());
        // perf reacts to a toggle within ~1 ms; with 100 ms traced bursts nearly all samples fall inside.
        assertTrue(r.samplesInTraced() >= 0.8 * r.samples(), r.samplesInTraced() + " of " + r.samples() + " inside");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(r.file())), StandardCharsets.UTF_8))) {
            String firstNonComment = in.lines().filter(l -> !l.startsWith("#")).findFirst().orElse("");
            assertTrue(PerfScript.sampleTimeNanos(firstNonComment) > 0, "first non-comment line is a sample: " + firstNonComment);
        }
    }

    @Test
    void onNamedThreadsOnlyThoseThreadsAreSampled() throws Exception {
        long me = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        Thread other = new Thread(() -> burn(600_000_000L));
        other.start();
        PerfSession s = PerfSession.start("perf", 499, dir, "t5", List.of(me), new CpuAccount());
        assertTrue(s.enter());
        long start = System.nanoTime();
        burn(300_000_000L);
        s.leave(start, System.nanoTime());
        s.stop();
        other.join();
        ProfileFile r = PerfScript.render("perf", s.dataFile, dir.resolve("t5.perf.gz"), s.intervals().lookup());
        assertTrue(r.samples() >= 20, "samples: " + r.samples());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(r.file())), StandardCharsets.UTF_8))) {
            List<String> headers = in.lines().filter(l -> PerfScript.sampleTimeNanos(l) > 0).toList();
            assertTrue(headers.stream().allMatch(l -> l.matches("^.*?\\s" + me + "\\s.*")), "a sample from another thread: " + headers);
        }
    }

    @Test
    void aSessionWithNoTracedInvocationHasNoSample() throws Exception {
        PerfSession s = PerfSession.start("perf", 99, dir, "t2", List.of(), new CpuAccount());
        assertTrue(s.unused());
        burn(100_000_000L);
        s.stop();
        ProfileFile r = PerfScript.render("perf", s.dataFile, dir.resolve("t2.perf.gz"), s.intervals().lookup());
        assertEquals(0, r.samples());
        assertEquals(null, r.file());
        assertFalse(Files.exists(dir.resolve("t2.perf.gz")));
    }

    @Test
    void aMissingPerfIsReportedWithItsReason() {
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> PerfSession.start(dir.resolve("no-such-perf").toString(), 99, dir, "t3", List.of(), new CpuAccount()));
        assertTrue(e.getMessage().contains("cannot run"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("t3.ctl")));
    }

    @Test
    void aPerfThatFailsAtStartIsReportedWithItsOutput() throws Exception {
        Path fake = dir.resolve("perf");
        Files.writeString(fake, "#!/bin/sh\necho 'perf_event_open(..., PERF_FLAG_FD_CLOEXEC) failed: Permission denied' >&2\nexit 255\n");
        assertTrue(fake.toFile().setExecutable(true));
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> PerfSession.start(fake.toString(), 99, dir, "t4", List.of(), new CpuAccount()));
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
    }

    /** Spins for about the given CPU time on this thread. */
    static void burn(long nanos) {
        long end = System.nanoTime() + nanos;
        double x = 0;
        // Work between clock reads: JFR drops samples taken inside the clock read's stub.
        while (System.nanoTime() < end) for (int i = 0; i < 1000; i++) x += Math.sqrt(x + i);
        if (x == 42) System.out.println(x);
    }
}
