package dev.perfaas.agent;

import dev.perfaas.hook.FrameNames;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Renders one perf.data file to the gzipped {@code perf script --header} text FlameScope reads,
 * counting its samples and perf script's CPU. One file is one profile: perf script sorts a file's
 * samples by time, so the profile is in time order without re-sorting. The fields are named so that
 * no frame carries perf's {@code +0x} offset into its symbol (no {@code symoff}): the offset differs
 * per process and FlameScope would draw each one as a frame of its own. For the same reason a JVM's
 * frames lose what its perf map names after this process ({@link FrameNames}: hidden classes'
 * addresses, lambdas' and proxies' numbers), as the in-process hook's do.
 */
final class ProfileRender {
    /** perf script's default fields for a system-wide recording, without symoff. */
    static final String FIELDS = "comm,pid,tid,cpu,time,period,event,ip,sym,dso";

    /**
     * Fewer samples are not sent: FlameScope's flame graph takes a profile's end from its second
     * sample on (app/perf/flame_graph.py, _get_profile_range), and the controller refuses one sample.
     */
    static final int MIN_SAMPLES = 2;

    /**
     * A rendered profile: its file (null when it holds fewer than {@link #MIN_SAMPLES}), the samples
     * sent, and perf script's CPU in ns.
     */
    record Rendered(Path file, long samples, long scriptCpuNanos) {}

    private ProfileRender() {}

    static Rendered render(String perf, Path data, Path outGz) throws IOException {
        Path cpu = Files.createTempFile(data.getParent(), ".script-cpu", ".stat");
        Path errors = Files.createTempFile(data.getParent(), ".script", ".log");
        // The shell reaps perf script, then reads its own stat: cutime + cstime are perf script's CPU.
        String script = "\"$0\" script --header -F " + FIELDS + " -i \"$1\" 2>\"$2\"; s=$?; read -r st </proc/$$/stat;"
                + " echo \"$st\" >\"$3\"; exit $s";
        Process p = new ProcessBuilder(
                        List.of("sh", "-c", script, perf, data.toString(), errors.toString(), cpu.toString()))
                .redirectErrorStream(false)
                .start();
        long samples = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer out = new BufferedWriter(new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(outGz), 1 << 16), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (isSampleLine(line)) {
                    samples++;
                }
                out.write(FrameNames.stablePerfFrame(line));
                out.write('\n');
            }
        } finally {
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (p.isAlive() || p.exitValue() != 0) {
                Files.deleteIfExists(outGz);
                throw new IOException(
                        "perf script failed: " + Files.readString(errors).strip());
            }
            long scriptCpu = reapedChildrenNanos(Files.readString(cpu));
            if (samples < MIN_SAMPLES) {
                Files.deleteIfExists(outGz);
                return new Rendered(null, 0, scriptCpu);
            }
            return new Rendered(outGz, samples, scriptCpu);
        } finally {
            Files.deleteIfExists(cpu);
            Files.deleteIfExists(errors);
        }
    }

    /** A sample's first line ({@code comm pid/tid [cpu] time: period event:}): not a comment, frame or blank line. */
    static boolean isSampleLine(String line) {
        return !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '\t' && line.contains(": ");
    }

    /** cutime + cstime of a /proc/<pid>/stat line, in ns (USER_HZ 100); 0 when it cannot be read. */
    static long reapedChildrenNanos(String stat) {
        try {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
