package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One {@code perf record} attached to this JVM, started with its events disabled and toggled
 * through its control fifo around traced invocations (DESIGN.md §5). It outlives profiles: a
 * {@link PerfSession} per profile, and a profile is cut by rotating perf's output
 * ({@code --switch-output=signal}: on SIGUSR2 perf finishes the file it writes, renames it
 * {@code NAME.data.<timestamp>} and goes on in a new one), which costs perf far less CPU than
 * stopping and starting it (BENCHMARKS.md). perf empties its ring buffers into the old file
 * before the switch, so each sample lands in exactly one file.
 *
 * <p>Toggles are fire-and-forget: a synchronous enable+disable round trip costs ~1.6 ms per
 * invocation, a bare write 1-2 us. perf answers every command with "ack" on the ack fifo, which
 * a background thread drains; the count of unanswered commands guards against a stuck perf,
 * so a write can never block on a full pipe. Both fifos are opened read-write: that never
 * blocks waiting for perf to open its end, and commands written before perf is up wait in the
 * pipe. Sample times use CLOCK_MONOTONIC, the clock of {@link System#nanoTime()}, so samples
 * can be attributed to the traced intervals recorded here.
 *
 * <p>A perf that exits on its own (killed, out of memory, its threads gone) or stops answering
 * stops tracing at once: {@link #enter()} refuses, so invocations never wait on it, and
 * {@link #failure()} says why, for {@link Engines} to restart it or fall back.
 */
final class PerfRecorder {
    private static final System.Logger LOG = System.getLogger("perfaas");
    /**
     * perf applies a toggle with an ioctl per event fd (threads x CPUs), ~2 ms here, so it can
     * fall behind invocations that are short and frequent. Past this backlog a new invocation is
     * simply not traced (the traced count says so), while disable can always still be written.
     */
    private static final int BACKLOG_TO_SKIP = 4;
    /** A perf this far behind is stuck: stop writing, so a write can never block on a full pipe. */
    private static final int MAX_UNACKED = 256;
    /** No answer for this long is stuck too: a toggle takes perf milliseconds, seconds on a loaded machine. */
    private static final long STALL_SECONDS = 30;
    /** Off the request path, and generous: a perf refused for a slow start stays refused. */
    private static final long READY_TIMEOUT_MS = 30_000;
    /** perf switches files in its main loop; on a loaded machine that can wait for the CPU. */
    private static final long ROTATE_TIMEOUT_MS = 20_000;
    private static final byte[] ENABLE = "enable\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISABLE = "disable\n".getBytes(StandardCharsets.US_ASCII);
    /** Written by us into the ack fifo to end the drainer: we hold a write end, so it never sees EOF. */
    private static final String END_OF_ACKS = "perfaas-end";

    final String perfCommand;
    final int frequencyHz;
    private final List<String> target;
    private final Path dataFile;
    private final Path logFile;
    private final Path ctlFifo;
    private final Path ackFifo;
    private final Process perf;
    private final RandomAccessFile ctl;
    private final RandomAccessFile ack;

    private int active;          // traced invocations in flight, all sessions; guarded by this
    private int unacked;         // commands perf has not answered yet; guarded by this
    private boolean usable = true; // guarded by this
    private boolean stopping;    // guarded by this
    private String failure;      // guarded by this
    private boolean exitNoted;   // guarded by this
    private long acks;           // guarded by this
    private long answeredNanos;  // when perf last answered, or was first left waiting since; guarded by this
    private long countedCpuNanos; // window thread only
    private boolean cpuCredited; // window thread only

    private PerfRecorder(String perfCommand, int frequencyHz, List<String> target, Path dataFile, Path logFile, Path ctlFifo,
                         Path ackFifo, Process perf, RandomAccessFile ctl, RandomAccessFile ack) {
        this.perfCommand = perfCommand;
        this.frequencyHz = frequencyHz;
        this.target = target;
        this.dataFile = dataFile;
        this.logFile = logFile;
        this.ctlFifo = ctlFifo;
        this.ackFifo = ackFifo;
        this.perf = perf;
        this.ctl = ctl;
        this.ack = ack;
    }

    /**
     * Starts perf for this JVM and waits (off the request path) until it answers a ping, so a
     * recorder is only handed out once sampling can really start.
     *
     * @throws EngineUnavailableException perf is missing, not permitted, or does not answer
     */
    static PerfRecorder start(String perfCommand, int frequencyHz, Path dir, String name, Collection<Long> threads,
                              CpuAccount cpu) throws EngineUnavailableException {
        Path ctlFifo = dir.resolve(name + ".ctl");
        Path ackFifo = dir.resolve(name + ".ack");
        Path data = dir.resolve(name + ".data");
        Path log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            mkfifo(ctlFifo);
            mkfifo(ackFifo);
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot create perf control fifos in " + dir + ": " + e.getMessage());
        }
        List<String> target = target(threads);
        RandomAccessFile ctl = null;
        RandomAccessFile ack = null;
        Process perf;
        try {
            ctl = new RandomAccessFile(ctlFifo.toFile(), "rw");
            ack = new RandomAccessFile(ackFifo.toFile(), "rw");
            List<String> cmd = new ArrayList<>(List.of(perfCommand, "record", "-F", Integer.toString(frequencyHz), "-g"));
            cmd.addAll(target);
            cmd.addAll(List.of(
                    "-D", "-1",              // start with events disabled
                    "--no-bpf-event",        // else shutdown waits ~1 s on the BPF side-band thread
                    "-k", "CLOCK_MONOTONIC", // sample times comparable with System.nanoTime()
                    "--control=fifo:" + ctlFifo + "," + ackFifo,
                    "--switch-output=signal", // SIGUSR2 cuts a profile; implies --no-buildid
                    "-q",                    // no line per toggle, which would grow the log for as long as perf runs; errors still show
                    "-o", data.toString()));
            perf = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            SpoolFiles.closeQuietly(ctl, ack);
            SpoolFiles.deleteQuietly(ctlFifo, ackFifo, log);
            throw new EngineUnavailableException("cannot run '" + perfCommand + "': " + e.getMessage());
        }
        PerfRecorder r = new PerfRecorder(perfCommand, frequencyHz, target, data, log, ctlFifo, ackFifo, perf, ctl, ack);
        Thread drain = new Thread(() -> r.drainAcks(cpu), "perfaas-perf-acks-" + name);
        drain.setDaemon(true);
        cpu.register(drain);
        drain.start();
        r.awaitReady();
        perf.onExit().thenRun(r::exited);
        return r;
    }

    /**
     * perf applies a toggle to every event fd, one per thread and CPU: on a whole JVM (-p) that
     * took ~0.85 ms here, on one thread (-t) ~0.14 ms. So perf follows the threads that run
     * invocations when the runtime named them, and the whole process otherwise.
     */
    private static List<String> target(Collection<Long> threads) {
        String live = threads.stream().filter(t -> Files.exists(Path.of("/proc/self/task", t.toString())))
                .sorted().map(String::valueOf).collect(Collectors.joining(","));
        return live.isEmpty() ? List.of("-p", Long.toString(ProcessHandle.current().pid())) : List.of("-t", live);
    }

    /** True while this perf works, at this frequency, on the threads it would be started on now. */
    synchronized boolean serves(int frequencyHz, Collection<Long> threads) {
        return usable && this.frequencyHz == frequencyHz && target.equals(target(threads));
    }

    private void awaitReady() throws EngineUnavailableException {
        synchronized (this) {
            write("ping\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
            while (acks == 0 && perf.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (acks > 0) return;
            usable = false;
            stopping = true;
        }
        String why = perf.isAlive() ? "perf did not answer within " + READY_TIMEOUT_MS + " ms" : "perf exited: " + logTail();
        stopProcess();
        close();
        SpoolFiles.deleteQuietly(dataFile, logFile);
        throw new EngineUnavailableException(why);
    }

    /** One more traced invocation in flight; false when perf cannot trace it now. */
    synchronized boolean enter() {
        if (!usable || (active == 0 && unacked >= BACKLOG_TO_SKIP)) return false;
        if (active++ == 0) write(ENABLE);
        return true;
    }

    synchronized void leave() {
        if (--active == 0 && usable) write(DISABLE);
    }

    /** perf has answered every command written so far: the last enable or disable is in effect. */
    synchronized boolean caughtUp() {
        return unacked == 0;
    }

    /** Also where a perf that stopped answering is found out: the window thread asks every second. */
    synchronized boolean usable() {
        if (usable && unacked > 0 && System.nanoTime() - answeredNanos > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
            fail("perf has not answered its control fifo for " + STALL_SECONDS + " s");
        }
        return usable;
    }

    /** Why perf stopped working on its own (it exited, or stopped answering); null while it works. */
    synchronized String failure() {
        return failure;
    }

    private void write(byte[] command) {
        if (unacked >= MAX_UNACKED) {
            fail("perf stopped answering its control fifo (" + MAX_UNACKED + " commands unanswered)");
            return;
        }
        try {
            ctl.write(command);
            if (unacked++ == 0) answeredNanos = System.nanoTime();
        } catch (IOException e) {
            fail("cannot write to perf's control fifo: " + e.getMessage());
        }
    }

    private synchronized void fail(String why) {
        usable = false;
        if (failure == null && !stopping) {
            failure = why;
            LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
        }
    }

    /** perf's process ended (on the JDK's process reaper thread): the reason, whatever was noticed first. */
    private void exited() {
        String tail = logTail();
        String why = "perf exited while recording (" + exitStatus() + ")" + (tail.isEmpty() ? "" : ": " + tail);
        synchronized (this) {
            if (stopping || exitNoted) return;
            exitNoted = true;
            usable = false;
            failure = why;
        }
        LOG.log(System.Logger.Level.WARNING, why + "; tracing with perf paused");
    }

    private String exitStatus() {
        int code = perf.exitValue();
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    private void drainAcks(CpuAccount cpu) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new FileInputStream(ack.getFD()), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(END_OF_ACKS)) return;
                if (line.isEmpty()) continue;
                synchronized (this) {
                    unacked--;
                    acks++;
                    answeredNanos = System.nanoTime();
                    notifyAll();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "perf ack fifo closed: " + e.getMessage());
        } finally {
            cpu.retire(Thread.currentThread());
        }
    }

    /**
     * perf's CPU since the last call (owned by the window thread). Once perf has exited, the JDK
     * has reaped it, so all of its CPU is in our children's cutime/cstime: then, once, minus what
     * was counted of it here, however long it lived.
     */
    long countCpu() {
        if (cpuCredited) return 0;
        if (!perf.isAlive()) {
            cpuCredited = true;
            return -countedCpuNanos;
        }
        long now = ProcCpu.processNanos(perf.pid());
        if (now < 0) return 0;
        long delta = now - countedCpuNanos;
        countedCpuNanos = now;
        return delta;
    }

    /**
     * Cuts the profile: perf finishes its current file under a timestamped name and writes on in
     * a new one. Returns the finished files (normally one), oldest first. A perf that does not
     * switch in time is stuck: it is stopped, and what it wrote is returned.
     */
    List<Path> rotate() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROTATE_TIMEOUT_MS);
        signal("USR2");
        while (perf.isAlive()) {
            List<Path> files = finishedFiles();
            if (!files.isEmpty()) return files;
            if (System.nanoTime() - deadline > 0) {
                fail("perf did not switch output files within " + ROTATE_TIMEOUT_MS + " ms");
                return stop();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stop();
            }
        }
        exited(); // it died switching, maybe before the JDK told us
        return stop();
    }

    /**
     * Stops perf; it finishes its current file under a timestamped name. Returns the finished
     * files not taken by a rotation, oldest first. A perf that died mid-file leaves a file without
     * a header, which perf script cannot read: it is deleted.
     */
    List<Path> stop() throws IOException {
        synchronized (this) {
            usable = false;
            stopping = true;
            try {
                ctl.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // perf is gone already; stopProcess() reaps it.
            }
        }
        stopProcess();
        close();
        SpoolFiles.deleteQuietly(dataFile, logFile);
        return finishedFiles();
    }

    /** The files perf finished, {@code NAME.data.<timestamp>}, oldest first. */
    private List<Path> finishedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        String prefix = dataFile.getFileName() + ".";
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(dataFile.getParent(), prefix + "*")) {
            for (Path p : dir) {
                String suffix = p.getFileName().toString().substring(prefix.length());
                if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit)) files.add(p);
            }
        }
        files.sort(null); // equal-length timestamps: by name is by time
        return files;
    }

    /** Java signals only TERM and KILL; the shell's kill builtin needs nothing beyond /bin/sh. */
    private void signal(String name) throws IOException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -s " + name + " " + perf.pid())
                .redirectErrorStream(true).start();
        try {
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (kill.waitFor() != 0) throw new IOException("cannot signal perf: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted signalling perf");
        }
    }

    private void stopProcess() {
        try {
            if (!perf.waitFor(10, TimeUnit.SECONDS)) {
                perf.destroy(); // SIGTERM: perf still writes out its data
                if (!perf.waitFor(5, TimeUnit.SECONDS)) {
                    perf.destroyForcibly();
                    perf.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            perf.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void close() {
        try {
            ack.write((END_OF_ACKS + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot end the ack drainer: " + e.getMessage());
        }
        SpoolFiles.closeQuietly(ctl);
        SpoolFiles.deleteQuietly(ctlFifo, ackFifo);
    }

    private String logTail() {
        try {
            String text = Files.readString(logFile).strip();
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void mkfifo(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) throw new IOException("mkfifo failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating " + path);
        }
    }

    @Override
    public String toString() {
        return "perf " + perf.pid() + " at " + frequencyHz + " Hz on " + String.join(" ", target) + " writing " + dataFile;
    }
}
