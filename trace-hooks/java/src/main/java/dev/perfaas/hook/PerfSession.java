package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One {@code perf record} attached to this JVM, started with its events disabled and toggled
 * through its control fifo around traced invocations (DESIGN.md §5).
 *
 * <p>Toggles are fire-and-forget: a synchronous enable+disable round trip costs ~1.6 ms per
 * invocation, a bare write 1-2 us. perf answers every command with "ack" on the ack fifo, which
 * a background thread drains; the count of unanswered commands guards against a stuck perf,
 * so a write can never block on a full pipe. Both fifos are opened read-write: that never
 * blocks waiting for perf to open its end, and commands written before perf is up wait in the
 * pipe. Sample times use CLOCK_MONOTONIC, the clock of {@link System#nanoTime()}, so samples
 * can be attributed to the traced intervals recorded here.
 */
final class PerfSession implements Sampler {
    private static final System.Logger LOG = System.getLogger("perfaas");
    /**
     * perf applies a toggle with an ioctl per event fd (threads x CPUs), ~2 ms here, so it can
     * fall behind invocations that are short and frequent. Past this backlog a new invocation is
     * simply not traced (the traced count says so), while disable can always still be written.
     */
    private static final int BACKLOG_TO_SKIP = 4;
    /** A perf this far behind is stuck: stop writing, so a write can never block on a full pipe. */
    private static final int MAX_UNACKED = 256;
    private static final long READY_TIMEOUT_MS = 10_000;
    private static final byte[] ENABLE = "enable\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISABLE = "disable\n".getBytes(StandardCharsets.US_ASCII);
    /** Written by us into the ack fifo to end the drainer: we hold a write end, so it never sees EOF. */
    private static final String END_OF_ACKS = "perfaas-end";

    private final String perfCommand;
    private final int frequencyHz;
    final Path dataFile;
    private final Path logFile;
    private final Path ctlFifo;
    private final Path ackFifo;
    private final Process perf;
    private final RandomAccessFile ctl;
    private final RandomAccessFile ack;
    private final TracedIntervals intervals = new TracedIntervals();

    private int active;          // traced invocations in flight; guarded by this
    private int unacked;         // commands perf has not answered yet; guarded by this
    private boolean usable = true;
    private long acks;           // guarded by this
    private long countedCpuNanos;
    private long entered;        // traced invocations so far; guarded by this
    private long firstTracedMillis; // guarded by this
    private int windowsCarried;  // window thread only

    private PerfSession(String perfCommand, int frequencyHz, Path dataFile, Path logFile, Path ctlFifo, Path ackFifo,
                        Process perf, RandomAccessFile ctl, RandomAccessFile ack) {
        this.perfCommand = perfCommand;
        this.frequencyHz = frequencyHz;
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
     * session is only handed out once sampling can really start.
     *
     * @throws EngineUnavailableException perf is missing, not permitted, or does not answer
     */
    static PerfSession start(String perfCommand, int frequencyHz, Path dir, String name, Collection<Long> threads,
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
        RandomAccessFile ctl = null;
        RandomAccessFile ack = null;
        Process perf = null;
        try {
            ctl = new RandomAccessFile(ctlFifo.toFile(), "rw");
            ack = new RandomAccessFile(ackFifo.toFile(), "rw");
            List<String> cmd = List.of(perfCommand, "record",
                    "-F", Integer.toString(frequencyHz), "-g",
                    target(threads)[0], target(threads)[1],
                    "-D", "-1",              // start with events disabled
                    "--no-bpf-event",        // else shutdown waits ~1 s on the BPF side-band thread
                    "-k", "CLOCK_MONOTONIC", // sample times comparable with System.nanoTime()
                    "--control=fifo:" + ctlFifo + "," + ackFifo,
                    "-o", data.toString());
            perf = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            closeQuietly(ctl, ack);
            deleteQuietly(ctlFifo, ackFifo, log);
            throw new EngineUnavailableException("cannot run '" + perfCommand + "': " + e.getMessage());
        }
        PerfSession s = new PerfSession(perfCommand, frequencyHz, data, log, ctlFifo, ackFifo, perf, ctl, ack);
        Thread drain = new Thread(() -> s.drainAcks(cpu), "perfaas-perf-acks-" + name);
        drain.setDaemon(true);
        cpu.register(drain);
        drain.start();
        s.awaitReady();
        return s;
    }

    /**
     * perf applies a toggle to every event fd, one per thread and CPU: on a whole JVM (-p) that
     * took ~0.85 ms here, on one thread (-t) ~0.14 ms. So perf follows the threads that run
     * invocations when the runtime named them, and the whole process otherwise.
     */
    private static String[] target(Collection<Long> threads) {
        String live = threads.stream().filter(t -> Files.exists(Path.of("/proc/self/task", t.toString())))
                .map(String::valueOf).collect(Collectors.joining(","));
        return live.isEmpty() ? new String[] {"-p", Long.toString(ProcessHandle.current().pid())} : new String[] {"-t", live};
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
        }
        String why = perf.isAlive() ? "perf did not answer within " + READY_TIMEOUT_MS + " ms" : "perf exited: " + logTail();
        stopProcess();
        close();
        deleteQuietly(dataFile);
        throw new EngineUnavailableException(why);
    }

    @Override
    public String engine() {
        return Engines.PERF;
    }

    @Override
    public int frequencyHz() {
        return frequencyHz;
    }

    @Override
    public synchronized boolean enter() {
        if (!usable || (active == 0 && unacked >= BACKLOG_TO_SKIP)) return false;
        if (entered++ == 0) firstTracedMillis = System.currentTimeMillis();
        if (active++ == 0) write(ENABLE);
        return true;
    }

    @Override
    public void leave(long startNanos, long endNanos) {
        synchronized (this) {
            if (--active == 0 && usable) write(DISABLE);
            if (active == 0) notifyAll();
        }
        intervals.add(startNanos, endNanos);
    }

    private void write(byte[] command) {
        if (unacked >= MAX_UNACKED) {
            usable = false;
            LOG.log(System.Logger.Level.WARNING, "perf stopped answering its control fifo; tracing paused until the next window");
            return;
        }
        try {
            ctl.write(command);
            unacked++;
        } catch (IOException e) {
            usable = false;
            LOG.log(System.Logger.Level.WARNING, "cannot write to perf's control fifo: " + e.getMessage());
        }
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
                    notifyAll();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "perf ack fifo closed: " + e.getMessage());
        } finally {
            cpu.retire(Thread.currentThread());
        }
    }

    @Override
    public synchronized void awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (active > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return;
            wait(left);
        }
    }

    /** CPU perf used since the last call (owned by the window thread), 0 once it is gone. */
    @Override
    public long countCpu() {
        long now = ProcCpu.processNanos(perf.pid());
        if (now < 0) return 0;
        long delta = now - countedCpuNanos;
        countedCpuNanos = now;
        return delta;
    }

    @Override
    public synchronized boolean unused() {
        return usable && entered == 0;
    }

    @Override
    public synchronized boolean usable() {
        return usable;
    }

    @Override
    public double expectedSamples() {
        return intervals.totalNanos() * frequencyHz / 1e9;
    }

    @Override
    public synchronized long firstTracedMillis() {
        return firstTracedMillis;
    }

    @Override
    public int carryOver() {
        return ++windowsCarried;
    }

    @Override
    public long countedCpuNanos() {
        return countedCpuNanos;
    }

    TracedIntervals intervals() {
        return intervals;
    }

    /** Stops perf and symbolizes its data with {@code perf script}, counting samples by timestamp. */
    @Override
    public ProfileFile finish() throws IOException {
        stop();
        try {
            if (!Files.exists(dataFile)) throw new IOException("perf wrote no data file");
            return PerfScript.render(perfCommand, dataFile, dataFile.resolveSibling(dataFile.getFileName() + ".perf.gz"),
                    intervals.lookup());
        } finally {
            deleteQuietly(dataFile);
        }
    }

    /** Stops sampling and perf; afterwards {@link #dataFile} is complete (when perf wrote it). */
    void stop() {
        synchronized (this) {
            usable = false;
            try {
                ctl.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // perf is gone already; stopProcess() reaps it.
            }
        }
        stopProcess();
        close();
        deleteQuietly(logFile);
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
        closeQuietly(ctl);
        deleteQuietly(ctlFifo, ackFifo);
    }

    private String logTail() {
        try {
            String text = Files.readString(logFile).strip();
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "(no output)";
        } finally {
            deleteQuietly(logFile);
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

    private static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                // closing what is being thrown away
            }
        }
    }

    static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + p + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "perf " + perf.pid() + " at " + frequencyHz + " Hz writing " + dataFile;
    }
}
