package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Project;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the controller sustains on loopback: window reports per second from many simulated
 * function instances, then profile uploads in MB/s (each written durably: temp file, fsync,
 * rename), with the controller's resident memory after each phase. Client and controller share
 * this machine's cores, so the figures are a floor for a controller on its own machine.
 *
 * <p>Args: {@code [--quick] [--root DIR] [--functions N] [--instances N] [--seconds N] [--clients N]}.
 */
public final class ControllerCapacityBench {
    public static void main(String[] argv) throws Exception {
        List<String> args = List.of(argv);
        boolean quick = args.contains("--quick");
        Project project = new Project(Path.of(opt(args, "--root", ".")));
        int functions = Integer.parseInt(opt(args, "--functions", quick ? "100" : "1000"));
        int instances = Integer.parseInt(opt(args, "--instances", "5"));
        int seconds = Integer.parseInt(opt(args, "--seconds", quick ? "3" : "20"));
        int clients = Integer.parseInt(opt(args, "--clients", "8"));
        Path work = Files.createTempDirectory("perfaas-capacity");
        try (ControllerProcess c = ControllerProcess.start(project, Http.freePort(), work.resolve("stacks"),
                Map.of("perfaas.data-dir", work.resolve("data").toString()), work.resolve("controller.log"))) {
            System.out.printf("controller capacity: %d functions x %d instances, %d client threads, %d s per phase%n",
                    functions, instances, clients, seconds);
            System.out.printf("  RSS at start: %d MB%n", rssMb(c.process.pid()));

            AtomicLong next = new AtomicLong();
            long cpu0 = cpuMillis(c.process.pid());
            long reports = drive(clients, seconds, http -> {
                long n = next.getAndIncrement();
                String body = report("fn-" + (n % functions), "i-" + (n / functions % instances), n);
                return http.send(HttpRequest.newBuilder(c.url.resolve("/v1/reports")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            });
            double reportCpu = (cpuMillis(c.process.pid()) - cpu0) / 1000.0;
            System.out.printf("  reports: %.0f /s (goal 20,000) using %.2f of the 2 cores, i.e. %.0f reports per controller CPU-second; RSS %d MB%n",
                    reports / (double) seconds, reportCpu / seconds, reports / reportCpu, rssMb(c.process.pid()));
            long cpu1 = cpuMillis(c.process.pid());

            byte[] profile = profile(1 << 20);
            long uploads = drive(clients, seconds, http -> http.send(HttpRequest.newBuilder(
                            c.url.resolve("/v1/profiles/fn-" + (next.getAndIncrement() % functions)))
                    .header("Content-Type", "text/plain").header("X-Perfaas-Instance", "i-0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(profile)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            double uploadCpu = (cpuMillis(c.process.pid()) - cpu1) / 1000.0;
            System.out.printf("  profile uploads of %.1f MB: %.0f MB/s written durably (goal 100) using %.2f cores; RSS %d MB (goal < 512)%n",
                    profile.length / 1e6, uploads * (profile.length / 1e6) / seconds, uploadCpu / seconds, rssMb(c.process.pid()));
        } finally {
            FunctionBuild.deleteTree(work);
        }
    }

    interface Call {
        int send(HttpClient http) throws Exception;
    }

    /** Closed loop: each client thread sends its next request when the last one answered; counts 2xx. */
    private static long drive(int clients, int seconds, Call call) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        (call.send(http) / 100 == 2 ? ok : failed).increment();
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        if (failed.sum() > 0) System.out.printf("  (%d requests failed)%n", failed.sum());
        return ok.sum();
    }

    private static String report(String function, String instance, long n) {
        long start = 1_795_439_942_000L + n;
        return "{\"function\":\"" + function + "\",\"instance\":\"" + instance + "\",\"windowStartMillis\":" + start
                + ",\"windowEndMillis\":" + (start + 60_000) + ",\"engine\":\"perf\",\"engineError\":null,\"policyVersion\":1,"
                + "\"fraction\":0.01,\"frequencyHz\":99,\"invocations\":6000,\"traced\":60,\"errors\":0,\"wallNanos\":240000000000,"
                + "\"processCpuNanos\":250000000000,\"hookCpuNanos\":50000000,\"perfCpuNanos\":200000000,"
                + "\"tracedCpuNanos\":2400000000,\"tracedMeasured\":60,\"controlCpuNanos\":2390000000,\"controlMeasured\":60,"
                + "\"allocatedBytes\":120000000,\"allocationMeasured\":120,\"samples\":230,\"samplesInTraced\":200,"
                + "\"coldStart\":null,\"latencyBuckets\":[[33554432,5800],[41943040,200]]}";
    }

    /** A perf script text of about {@code bytes}: a header, then samples with short stacks. */
    private static byte[] profile(int bytes) {
        StringBuilder sb = new StringBuilder("# ========\n# captured on    : bench\n# ========\n#\n");
        for (long i = 0; sb.length() < bytes; i++) {
            sb.append("perfaas-request  4747 ").append(100 + i / 1000).append('.').append(String.format("%06d", i % 1000 * 1000))
                    .append(":    10101010 cpu-clock:pppH: \n")
                    .append("\t    7fbfb8f255b4 double com.openfaas.function.Handler.leibnizPi(long)+0x74 (/tmp/perf-4725.map)\n")
                    .append("\t           891f5 start_thread+0x305 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long rssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
        return -1;
    }

    /** utime + stime of a process, from /proc (USER_HZ 100). */
    private static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static String opt(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
