package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * perf's control and ack fifos ({@code --control=fifo:CTL,ACK}). Commands are fire-and-forget (a
 * synchronous enable+disable round trip costs ~1.6 ms per invocation, a bare write 1-2 us): perf
 * answers each with "ack", which a background thread drains, and the count of unanswered
 * commands tells how far perf is behind. Both fifos are opened read-write: that never blocks
 * waiting for perf to open its end, and commands written before perf is up wait in the pipe.
 */
final class PerfControl {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final byte[] ENABLE = "enable\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DISABLE = "disable\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    /** A perf this far behind is stuck: stop writing, so a write can never block on a full pipe. */
    private static final int MAX_UNACKED = 256;
    /** No answer for this long is stuck: a toggle takes perf milliseconds, seconds on a loaded machine. */
    static final long STALL_SECONDS = 30;
    /** Written by us into the ack fifo to end the drainer: we hold a write end, so it never sees EOF. */
    private static final String END_OF_ACKS = "perfaas-end";

    private final Path ctlFifo;
    private final Path ackFifo;
    private final RandomAccessFile ctl;
    private final RandomAccessFile ack;

    private int unacked; // guarded by this
    private long acks; // guarded by this
    private long answeredNanos; // when perf last answered, or was first left waiting since; guarded by this

    private PerfControl(Path ctlFifo, Path ackFifo, RandomAccessFile ctl, RandomAccessFile ack) {
        this.ctlFifo = ctlFifo;
        this.ackFifo = ackFifo;
        this.ctl = ctl;
        this.ack = ack;
    }

    /** Makes and opens {@code dir/name.ctl} and {@code dir/name.ack}. */
    static PerfControl create(Path dir, String name) throws IOException {
        Path ctlFifo = dir.resolve(name + ".ctl");
        Path ackFifo = dir.resolve(name + ".ack");
        Files.createDirectories(dir);
        mkfifo(ctlFifo);
        mkfifo(ackFifo);
        RandomAccessFile ctl = null;
        try {
            ctl = new RandomAccessFile(ctlFifo.toFile(), "rw");
            return new PerfControl(ctlFifo, ackFifo, ctl, new RandomAccessFile(ackFifo.toFile(), "rw"));
        } catch (IOException e) {
            SpoolFiles.closeQuietly(ctl);
            SpoolFiles.deleteQuietly(ctlFifo, ackFifo);
            throw e;
        }
    }

    /** perf's {@code --control} argument. */
    String argument() {
        return "fifo:" + ctlFifo + "," + ackFifo;
    }

    void startDrainer(CpuAccount cpu, String name) {
        cpu.newThread(() -> drainAcks(cpu), "perfaas-perf-acks-" + name).start();
    }

    /** Writes a command perf will answer; the message says why it could not. */
    synchronized void send(byte[] command) throws IOException {
        if (unacked >= MAX_UNACKED) {
            throw new IOException("perf stopped answering its control fifo (" + MAX_UNACKED + " commands unanswered)");
        }
        try {
            ctl.write(command);
        } catch (IOException e) {
            throw new IOException("cannot write to perf's control fifo: " + e.getMessage());
        }
        if (unacked++ == 0) {
            answeredNanos = System.nanoTime();
        }
    }

    /** Tells perf to stop; it may be gone already, which is as good. */
    synchronized void sendStop() {
        try {
            ctl.write("stop\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // perf is gone already
        }
    }

    synchronized int unanswered() {
        return unacked;
    }

    /** Commands wait for an answer and none came for {@link #STALL_SECONDS}. */
    synchronized boolean stalled() {
        return unacked > 0 && System.nanoTime() - answeredNanos > TimeUnit.SECONDS.toNanos(STALL_SECONDS);
    }

    /** Waits until perf answered anything, while it lives, at most {@code timeoutMs}; false if it did not. */
    synchronized boolean awaitFirstAnswer(Process perf, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (acks == 0 && perf.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return acks > 0;
    }

    private void drainAcks(CpuAccount cpu) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new FileInputStream(ack.getFD()), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(END_OF_ACKS)) {
                    return;
                }
                if (line.isEmpty()) {
                    continue;
                }
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

    /** Before the drainer started: closes both ends and removes the fifos. */
    void discard() {
        SpoolFiles.closeQuietly(ctl, ack);
        SpoolFiles.deleteQuietly(ctlFifo, ackFifo);
    }

    /** Ends the drainer (it closes the ack fifo), closes the control fifo and removes both. */
    void close() {
        try {
            ack.write((END_OF_ACKS + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot end the ack drainer: " + e.getMessage());
        }
        SpoolFiles.closeQuietly(ctl);
        SpoolFiles.deleteQuietly(ctlFifo, ackFifo);
    }

    private static void mkfifo(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating " + path);
        }
    }
}
