package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code perf record} attached to this JVM, started with its events disabled and toggled
 * through its control fifo around traced invocations (docs/design.md, section 3). It outlives profiles: a
 * {@link PerfSession} per profile, and a profile is cut by rotating perf's output
 * ({@code --switch-output=signal}: on SIGUSR2 perf finishes the file it writes, renames it
 * {@code NAME.data.<timestamp>} and goes on in a new one), which costs perf far less CPU than
 * stopping and starting it (BENCHMARKS.md). perf empties its ring buffers into the old file
 * before the switch, so each sample lands in exactly one file.
 *
 * <p>Toggles are fire-and-forget ({@link PerfControl}). Sample times use CLOCK_MONOTONIC, the clock
 * of {@link System#nanoTime()}, so samples can be attributed to the traced intervals recorded here.
 *
 * <p>A perf that exits on its own (killed, out of memory, its threads gone) or stops answering
 * stops tracing at once: {@link #enter()} refuses, so invocations never wait on it, and
 * {@link #failure()} says why, for {@link Engines} to restart it or fall back.
 */
final class PerfRecorder {
    /**
     * perf applies a toggle with an ioctl per event fd (threads x CPUs), ~2 ms here, so it can
     * fall behind invocations that are short and frequent. Past this backlog a new invocation is
     * simply not traced (the traced count says so), while disable can always still be written.
     */
    private static final int BACKLOG_TO_SKIP = 4;
    /** Off the request path, and generous: a perf refused for a slow start stays refused. */
    private static final long READY_TIMEOUT_MS = 30_000;
    /** perf switches files in its main loop; on a loaded machine that can wait for the CPU. */
    private static final long ROTATE_TIMEOUT_MS = 20_000;

    final PerfCommand command;
    private final PerfControl control;
    final PerfProcess process;

    private final PerfHealth health = new PerfHealth();
    private int active; // traced invocations in flight, all sessions; guarded by this

    private PerfRecorder(PerfCommand command, PerfControl control, PerfProcess process) {
        this.command = command;
        this.control = control;
        this.process = process;
    }

    /**
     * Starts perf for this JVM and waits (off the request path) until it answers a ping, so a
     * recorder is only handed out once sampling can really start.
     *
     * @throws EngineUnavailableException perf is missing, not permitted, or does not answer
     */
    static PerfRecorder start(
            String perfCommand, int frequencyHz, Path dir, String name, Collection<Long> threads, CpuAccount cpu)
            throws EngineUnavailableException {
        PerfControl control;
        try {
            control = PerfControl.create(dir, name);
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot create perf control fifos in " + dir + ": " + e.getMessage());
        }
        PerfCommand command =
                PerfCommand.of(perfCommand, frequencyHz, threads, control.argument(), dir.resolve(name + ".data"));
        Path log = dir.resolve(name + ".log");
        PerfProcess process;
        try {
            process = PerfProcess.launch(command, log);
        } catch (IOException e) {
            control.discard();
            SpoolFiles.deleteQuietly(log);
            throw new EngineUnavailableException("cannot run '" + perfCommand + "': " + e.getMessage() + noPerfHint(e));
        }
        PerfRecorder r = new PerfRecorder(command, control, process);
        control.startDrainer(cpu, name);
        r.awaitReady();
        process.child.onExit().thenRun(r::exited);
        return r;
    }

    /**
     * What to do when there is no perf binary at all (the JVM's "error=2" is ENOENT): the
     * java17-perfaas image carries none, on purpose.
     */
    private static String noPerfHint(IOException e) {
        return String.valueOf(e.getMessage()).contains("error=2,")
                ? " (no perf in this image: build the function with the java17-perfaas-perf template, or install"
                        + " linux-perf, to use engine perf; the in-process engines sample instead)"
                : "";
    }

    /** True while this perf works, at this frequency, on the threads it would be started on now. */
    boolean serves(int frequencyHz, Collection<Long> threads) {
        return health.usable()
                && command.frequencyHz() == frequencyHz
                && command.target().equals(PerfCommand.target(threads));
    }

    private void awaitReady() throws EngineUnavailableException {
        synchronized (this) {
            write(PerfControl.PING);
        }
        if (control.awaitFirstAnswer(process.child, READY_TIMEOUT_MS)) {
            return;
        }
        health.stopping();
        String why = process.child.isAlive()
                ? "perf did not answer within " + READY_TIMEOUT_MS + " ms"
                : "perf exited: " + process.logTail();
        release();
        throw new EngineUnavailableException(why);
    }

    /** One more traced invocation in flight; false when perf cannot trace it now. */
    synchronized boolean enter() {
        if (!health.usable() || (active == 0 && control.unanswered() >= BACKLOG_TO_SKIP)) {
            return false;
        }
        if (active++ == 0) {
            write(PerfControl.ENABLE);
        }
        return true;
    }

    synchronized void leave() {
        if (--active == 0 && health.usable()) {
            write(PerfControl.DISABLE);
        }
    }

    /** perf has answered every command written so far: the last enable or disable is in effect. */
    boolean caughtUp() {
        return control.unanswered() == 0;
    }

    /** Also where a perf that stopped answering is found out: the window thread asks every second. */
    boolean usable() {
        if (health.usable() && control.stalled()) {
            health.fail("perf has not answered its control fifo for " + PerfControl.STALL_SECONDS + " s");
        }
        return health.usable();
    }

    /** Why perf stopped working on its own (it exited, or stopped answering); null while it works. */
    String failure() {
        return health.failure();
    }

    private void write(byte[] command) {
        try {
            control.send(command);
        } catch (IOException e) {
            health.fail(e.getMessage());
        }
    }

    /** perf's process ended (on the JDK's process reaper thread, or found dead by a rotation). */
    private void exited() {
        health.exited(process.exitReason());
    }

    /**
     * Cuts the profile: perf finishes its current file under a timestamped name and writes on in
     * a new one. Returns the finished files (normally one), oldest first. A perf that does not
     * switch in time is stuck: it is stopped, and what it wrote is returned.
     */
    List<Path> rotate() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROTATE_TIMEOUT_MS);
        process.signal("USR2");
        try {
            List<Path> files = PerfOutput.awaitFinished(command.data(), process.child, deadline);
            if (!files.isEmpty()) {
                return files;
            }
            if (process.child.isAlive()) {
                health.fail("perf did not switch output files within " + ROTATE_TIMEOUT_MS + " ms");
            } else {
                exited(); // it died switching, maybe before the JDK told us
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stop();
    }

    /**
     * Stops perf; it finishes its current file under a timestamped name. Returns the finished
     * files not taken by a rotation, oldest first. A perf that died mid-file leaves a file without
     * a header, which perf script cannot read: it is deleted.
     */
    List<Path> stop() throws IOException {
        synchronized (this) {
            health.stopping();
            control.sendStop();
        }
        release();
        return PerfOutput.finished(command.data());
    }

    /** Once perf was told to stop: reaps it and removes all but the files it finished. */
    private void release() {
        process.awaitExit();
        control.close();
        SpoolFiles.deleteQuietly(command.data(), process.log);
    }

    @Override
    public String toString() {
        return "perf " + process.child.pid() + " at " + command.frequencyHz() + " Hz on "
                + String.join(" ", command.target()) + " writing " + command.data();
    }
}
