package dev.perfaas.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code perf record} of one cgroup, on every CPU ({@code -a -G}: the kernel counts only the
 * cgroup's tasks, and its descendants'), started with its events off and switched on and off through
 * its control fifo; a profile is cut by rotating its output ({@code --switch-output=signal}).
 * Every toggle waits for perf's ack: the agent is not on any function's path, so exact enabled
 * time is worth the ~0.4 ms a round trip took here.
 */
final class PerfRecord implements AutoCloseable {
    private static final long ACK_SECONDS = 10;
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every Linux the JDK ships for

    private final Process process;
    private final Path dir;
    private final Path data;
    private final FileChannel control;
    private final BlockingQueue<String> acks = new ArrayBlockingQueue<>(64);
    private final Thread ackReader;
    final int frequencyHz;
    private boolean enabled;

    private PerfRecord(Process process, Path dir, FileChannel control, FileChannel ack, int frequencyHz) {
        this.process = process;
        this.dir = dir;
        this.data = dir.resolve("perf.data");
        this.control = control;
        this.frequencyHz = frequencyHz;
        this.ackReader = new Thread(() -> readAcks(ack), "perfaas-agent-perf-ack");
        ackReader.setDaemon(true);
        ackReader.start();
    }

    /** The command line: each flag checked on perf 6.1 (FACTS.md section 6); -e must come before -G. */
    static List<String> argv(String perf, String cgroup, int frequencyHz, Path dir) {
        return List.of(
                perf,
                "record",
                "-e",
                "cpu-clock",
                "-F",
                Integer.toString(frequencyHz),
                "-a", // -G works only system-wide
                "-G",
                cgroup,
                "-g",
                "-D",
                "-1", // start with events off
                "--control=fifo:" + dir.resolve("ctl") + "," + dir.resolve("ack"),
                "--no-bpf-event", // else stopping waits ~1 s on perf's BPF side-band thread
                "-k",
                "CLOCK_MONOTONIC",
                "--switch-output=signal", // SIGUSR2 finishes the file: a profile per window, perf kept running
                "-q",
                "-o",
                dir.resolve("perf.data").toString());
    }

    /** Starts perf in {@code dir} (made and owned by this record) and waits until it answers. */
    static PerfRecord start(String perf, String cgroup, int frequencyHz, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String fifo : List.of("ctl", "ack")) {
            Path p = dir.resolve(fifo);
            Files.deleteIfExists(p);
            run(List.of("mkfifo", "-m", "600", p.toString()));
        }
        // Read-write opens of a fifo do not block, whether or not perf has opened its end yet.
        FileChannel control = FileChannel.open(dir.resolve("ctl"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel ack = FileChannel.open(dir.resolve("ack"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        Process p = new ProcessBuilder(argv(perf, cgroup, frequencyHz, dir))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("perf.log").toFile())
                .start();
        PerfRecord record = new PerfRecord(p, dir, control, ack, frequencyHz);
        try {
            record.command("ping");
        } catch (IOException e) {
            record.close();
            throw e;
        }
        return record;
    }

    void enable(boolean on) throws IOException {
        if (on != enabled) {
            command(on ? "enable" : "disable");
            enabled = on;
        }
    }

    /** Stops sampling and finishes the file perf wrote since the last cut; null when none came. */
    Path cut() throws IOException {
        enable(false);
        List<Path> before = finished();
        signal("USR2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ACK_SECONDS);
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            List<Path> now = finished();
            now.removeAll(before);
            if (!now.isEmpty()) {
                return now.get(now.size() - 1);
            }
            sleep(5);
        }
        throw new IOException("perf finished no file after SIGUSR2" + exitNote());
    }

    /** perf record's CPU so far (user + system), in ns; -1 once it has exited. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: perf finishes its file and exits
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        ackReader.interrupt();
        try {
            control.close();
        } catch (IOException e) {
            // gone with the directory
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a later start in the same directory clears what is left
        }
    }

    private void command(String word) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((word + "\n").getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            control.write(b);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ACK_SECONDS);
            while (acks.poll(100, TimeUnit.MILLISECONDS) == null) {
                if (!process.isAlive() || System.nanoTime() - deadline >= 0) { // an exited perf fails at once
                    throw new IOException(
                            "perf did not acknowledge '" + word + "' within " + ACK_SECONDS + " s" + exitNote());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for perf");
        }
    }

    private void readAcks(FileChannel ack) {
        ByteBuffer b = ByteBuffer.allocate(256);
        StringBuilder line = new StringBuilder();
        try (ack) {
            while (ack.read(b) >= 0) {
                b.flip();
                while (b.hasRemaining()) {
                    char c = (char) b.get();
                    if (c == '\n' || c == '\0') {
                        if (line.length() > 0) {
                            acks.offer(line.toString());
                        }
                        line.setLength(0);
                    } else {
                        line.append(c);
                    }
                }
                b.clear();
            }
        } catch (IOException e) {
            // closed: perf is being stopped
        }
    }

    private List<Path> finished() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, "perf.data.*")) {
            for (Path p : d) {
                String suffix = p.getFileName().toString().substring("perf.data.".length());
                if (suffix.chars().allMatch(Character::isDigit)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** The size of the file perf writes now (since the last cut), 0 when there is none yet. */
    long dataBytes() {
        try {
            return Files.size(data);
        } catch (IOException e) {
            return 0;
        }
    }

    /** How perf ended, with its log, or "" while it runs. */
    String exitNote() {
        if (process.isAlive()) {
            return "";
        }
        String log;
        try {
            log = Files.readString(dir.resolve("perf.log")).strip();
        } catch (IOException e) {
            log = "";
        }
        return " (perf exited " + process.exitValue() + (log.isEmpty() ? "" : ": " + log) + ")";
    }

    private void signal(String name) throws IOException {
        // Java signals only TERM and KILL; the shell's kill builtin needs nothing beyond /bin/sh.
        run(List.of("sh", "-c", "kill -s " + name + " " + process.pid()));
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
