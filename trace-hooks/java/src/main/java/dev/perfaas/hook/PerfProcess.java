package dev.perfaas.hook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The perf child process: launched with its output in a log, signalled, stopped, and its CPU read from /proc. */
final class PerfProcess {
    final Process child;
    final Path log;
    private long countedCpuNanos; // window thread only
    private boolean cpuCredited; // window thread only

    private PerfProcess(Process child, Path log) {
        this.child = child;
        this.log = log;
    }

    static PerfProcess launch(PerfCommand command, Path log) throws IOException {
        return new PerfProcess(
                new ProcessBuilder(command.argv())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start(),
                log);
    }

    /** Java signals only TERM and KILL; the shell's kill builtin needs nothing beyond /bin/sh. */
    void signal(String name) throws IOException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -s " + name + " " + child.pid())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (kill.waitFor() != 0) {
                throw new IOException("cannot signal perf: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted signalling perf");
        }
    }

    /** Waits for perf to end after it was told to stop, then makes it. */
    void awaitExit() {
        try {
            if (child.waitFor(10, TimeUnit.SECONDS)) {
                return;
            }
            child.destroy(); // SIGTERM: perf still writes out its data
            if (child.waitFor(5, TimeUnit.SECONDS)) {
                return;
            }
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Why perf ended while it recorded: its exit status and the end of what it printed. */
    String exitReason() {
        int code = child.exitValue();
        String tail = logTail();
        return "perf exited while recording (" + (code > 128 ? "killed by signal " + (code - 128) : "exit code " + code)
                + ")" + (tail.isEmpty() ? "" : ": " + tail);
    }

    /** The end of what perf printed: why it failed, when it did. */
    String logTail() {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /**
     * perf's CPU since the last call (owned by the window thread). Once perf has exited, the JDK
     * has reaped it, so all of its CPU is in our children's cutime/cstime: then, once, minus what
     * was counted of it here, however long it lived.
     */
    long countCpu() {
        if (cpuCredited) {
            return 0;
        }
        if (!child.isAlive()) {
            cpuCredited = true;
            return -countedCpuNanos;
        }
        long now = ProcCpu.processNanos(child.pid());
        if (now < 0) {
            return 0;
        }
        long delta = now - countedCpuNanos;
        countedCpuNanos = now;
        return delta;
    }
}
