package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold starts of the pi image, perfaas on (beside a running controller, its default targets)
 * against the same image with PERFAAS_DISABLED=true, alternated (ABBA), for BENCHMARKS.md: from
 * {@code docker start} to the first answered request (a light pi, polled every 5 ms from the
 * start: the first request that connects is the cold invocation), and from the JVM's start
 * (the container's init, /proc/PID/stat, 10 ms ticks) to that answer. The stand-in watchdog forwards nothing, so the
 * requests go to the runtime's port. Starts per side: -Dperfaas.coldStarts (default 2, a smoke run
 * that asserts every start answers, never a time).
 */
class ColdStartFiguresTest {
    private static final int STARTS = Integer.getInteger("perfaas.coldStarts", 2);
    private static final String LIGHT_PI = "/?terms=1000";
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ of /proc/PID/stat on Linux

    @TempDir
    Path work;

    @BeforeEach
    void docker() {
        DockerEngine.assumeRunning();
    }

    record Start(double toAnswerMillis, double jvmToAnswerMillis) {}

    @Test
    void printsColdStartsWithAndWithoutPerfaas() throws Exception {
        List<Start> on = new ArrayList<>();
        List<Start> off = new ArrayList<>();
        try (ControllerContainer controller = ControllerContainer.start(work.resolve("controller"), Map.of())) {
            for (int i = 0; i < STARTS; i++) {
                boolean onFirst = i % 2 == 0;
                for (boolean perfaas : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Map<String, String> env = perfaas ? Map.of() : Map.of("PERFAAS_DISABLED", "true");
                    try (FunctionContainer pi = FunctionContainer.create("pi-cold", controller.url, List.of(), env)) {
                        (perfaas ? on : off).add(coldStart(pi));
                    }
                }
            }
        }
        System.out.printf(
                "%n| cold start (%d each, alternated) | perfaas | PERFAAS_DISABLED=true | difference of medians |%n"
                        + "|---|---:|---:|---:|%n",
                STARTS);
        row(
                "docker start to first answer, ms",
                on.stream().map(Start::toAnswerMillis).toList(),
                off.stream().map(Start::toAnswerMillis).toList());
        row(
                "JVM start to first answer, ms",
                on.stream().map(Start::jvmToAnswerMillis).toList(),
                off.stream().map(Start::jvmToAnswerMillis).toList());
        System.out.println("perfaas: " + on + "\noff: " + off);
    }

    private static Start coldStart(FunctionContainer pi) throws Exception {
        long t0 = System.nanoTime();
        pi.container.start();
        HttpResponse<String> first = null;
        while (first == null) {
            try {
                first = Http.get(pi.url.resolve(LIGHT_PI));
            } catch (IOException e) {
                assertTrue(System.nanoTime() - t0 < Ready.BOUND.toNanos(), "no answer:\n" + pi.container.logTail());
                Thread.sleep(5);
            }
        }
        long t1 = System.nanoTime();
        double uptime = uptimeSeconds();
        assertEquals(200, first.statusCode(), first.body() + "\n" + pi.container.logTail());
        assertTrue(first.body().startsWith("pi ~ 3.14"), first.body());
        double jvmStarted = jvmStartSeconds(pi.container);
        return new Start((t1 - t0) / 1e6, (uptime - jvmStarted) * 1000);
    }

    /** Seconds since boot (/proc/uptime, 10 ms resolution), the clock of /proc/PID/stat's start times. */
    private static double uptimeSeconds() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    /**
     * When the container's JVM started, in seconds since boot: its init process, which the stand-in
     * watchdog and run.sh both exec into java (so this counts their few ms of shell too).
     */
    private static double jvmStartSeconds(Container c) throws IOException {
        String pid = c.inspect("{{.State.Pid}}");
        String cmdline = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
        assertTrue(cmdline.startsWith("java "), "not the JVM: " + cmdline);
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // Fields after the command's closing parenthesis: state is field 3, starttime field 22.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[22 - 3]) / (double) CLOCK_TICKS_PER_SECOND;
    }

    private static void row(String what, List<Double> on, List<Double> off) {
        double a = median(on);
        double b = median(off);
        System.out.printf("| %s | %.0f | %.0f | %+.0f |%n", what, a, b, a - b);
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
