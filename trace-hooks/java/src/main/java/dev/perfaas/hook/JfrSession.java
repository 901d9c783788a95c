package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import jdk.jfr.Recording;

/**
 * The JDK's own Flight Recorder, for where async-profiler's native library cannot load (another
 * libc or CPU). {@code jdk.ExecutionSample} cannot be switched per invocation: it samples up to
 * five running Java threads every period whatever is traced, so its cost does not fall with the
 * traced fraction; the samples outside traced invocations are dropped when the profile is made.
 * Its period is whole milliseconds, at least 1 ms.
 */
final class JfrSession extends InProcessSession {
    private final Recording recording;

    private boolean recordingStopped; // guarded by this

    private JfrSession(int frequencyHz, Path file, Recording recording, CpuAccount cpu) {
        super(frequencyHz, file, cpu);
        this.recording = recording;
    }

    static JfrSession start(int frequencyHz, Path dir, String name, CpuAccount cpu) throws EngineUnavailableException {
        Path file = dir.resolve(name + ".jfr");
        try {
            Files.createDirectories(dir);
            Set<Long> before = ProcCpu.threadIds();
            Recording r = new Recording();
            r.setName("perfaas-" + name);
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(periodMillis(frequencyHz)));
            r.setToDisk(true);
            r.setDestination(file);
            r.start();
            cpu.registerNativeSince(
                    before, "JFR "); // JFR's recorder and sampler threads start with the first recording
            return new JfrSession(frequencyHz, file, r, cpu);
        } catch (IOException | RuntimeException e) {
            throw new EngineUnavailableException("JFR cannot record: " + e);
        }
    }

    static long periodMillis(int frequencyHz) {
        return Math.max(1, Math.round(1000.0 / frequencyHz));
    }

    @Override
    public String engine() {
        return Engines.JFR;
    }

    @Override
    JfrScript.Clock clock() {
        return JfrScript.Clock.JFR_CPU;
    }

    @Override
    long intervalNanos() {
        return periodMillis(frequencyHz()) * 1_000_000L;
    }

    @Override
    void include(Thread t) {
        // JFR samples every running thread; the profile keeps only traced intervals.
    }

    @Override
    void exclude(Thread t) {}

    @Override
    synchronized void stopRecording() {
        if (recordingStopped) {
            return;
        }
        recordingStopped = true;
        recording.stop(); // writes the destination file
        recording.close();
    }

    @Override
    String describe() {
        return "JFR jdk.ExecutionSample every " + periodMillis(frequencyHz())
                + " ms (up to 5 running Java threads a period)";
    }
}
