package dev.perfaas.bench;

import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.Flags;
import dev.perfaas.launcher.FunctionBuild;
import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Project;
import java.nio.ByteBuffer;
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
 * rename), with the controller's resident memory during and after the uploads. Client and
 * controller share this machine's cores, so besides throughput it prints the controller's CPU per
 * request (reports per controller CPU-second), which depends far less on what else runs here. The
 * client is {@link RawHttpClient} (ready-made request bytes on keep-alive sockets) so that it
 * takes as little of the shared CPU as it can; its own CPU is printed too. Each phase runs for a
 * warm-up period first (half a phase unless {@code --warm-up} says otherwise) so the JIT's
 * compilations fall outside what it measures; {@code --phases uploads} runs the uploads alone.
 *
 * <p>Args: {@code [--quick] [--root DIR] [--functions N] [--instances N] [--seconds N] [--warm-up N]
 * [--clients N] [--phases reports,uploads]}.
 */
public final class ControllerCapacityBench {
    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean quick = args.remove("--quick");
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        int functions = Integer.parseInt(Flags.take(args, "--functions", quick ? "100" : "1000"));
        int instances = Integer.parseInt(Flags.take(args, "--instances", "5"));
        int seconds = Integer.parseInt(Flags.take(args, "--seconds", quick ? "3" : "20"));
        int warmUp = Integer.parseInt(
                Flags.take(args, "--warm-up", quick ? "1" : Integer.toString(Math.max(1, seconds / 2))));
        int clients = Integer.parseInt(Flags.take(args, "--clients", "8"));
        List<String> phases =
                List.of(Flags.take(args, "--phases", "reports,uploads").split(","));
        if (!args.isEmpty() || !List.of("reports", "uploads").containsAll(phases)) {
            throw new IllegalArgumentException(
                    (args.isEmpty() ? "unknown phase in " + phases : "unknown arguments " + args)
                            + "; args: [--quick] [--root DIR] [--functions N] [--instances N] [--seconds N] [--warm-up N]"
                            + " [--clients N] [--phases reports,uploads]");
        }
        Path work = Files.createTempDirectory("perfaas-capacity");
        // Room for every simulated function and instance, no rate limit (each instance here reports many
        // times a second), and an upload slot for each client: this measures throughput, not the bounds.
        Map<String, String> settings = Map.of(
                "perfaas.data-dir",
                work.resolve("data").toString(),
                "perfaas.max-uploads-in-flight",
                Integer.toString(clients),
                "perfaas.limits.functions",
                Integer.toString(functions),
                "perfaas.limits.instances-per-function",
                Integer.toString(instances),
                "perfaas.limits.reports-per-instance-per-minute",
                Integer.toString(Integer.MAX_VALUE));
        try (ControllerProcess c = ControllerProcess.start(
                project, Http.freePort(), work.resolve("stacks"), settings, work.resolve("controller.log"))) {
            long pid = c.process.pid();
            long self = ProcessHandle.current().pid();
            System.out.printf(
                    "controller capacity: %d functions x %d instances, %d client connections, %d s per phase%n",
                    functions, instances, clients, seconds);
            System.out.printf("  RSS at start: %d MB%n", ProcStat.rssMb(pid));

            if (phases.contains("reports")) {
                reports(c, functions, instances, clients, seconds, warmUp, self);
            }
            if (phases.contains("uploads")) {
                uploads(c, functions, clients, seconds, warmUp, self);
            }
        } finally {
            FunctionBuild.deleteTree(work);
        }
    }

    /** Window reports, one ready-made request per simulated instance: the client only writes bytes. */
    private static void reports(
            ControllerProcess c, int functions, int instances, int clients, int seconds, int warmUp, long self)
            throws Exception {
        long pid = c.process.pid();
        byte[][] reportRequests = new byte[functions * instances][];
        for (int k = 0; k < reportRequests.length; k++) {
            byte[] body = report("fn-" + (k % functions), "i-" + (k / functions % instances), k)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] head = RawHttpClient.head("POST", "/v1/reports", body.length, "Content-Type: application/json");
            reportRequests[k] = ByteBuffer.allocate(head.length + body.length)
                    .put(head)
                    .put(body)
                    .array();
        }
        AtomicLong next = new AtomicLong();
        Call sendReport =
                http -> http.send(reportRequests[(int) (next.getAndIncrement() % reportRequests.length)], null);
        drive(c.url.getPort(), clients, warmUp, sendReport);

        Cpu cpu = new Cpu(pid, self);
        long reports = drive(c.url.getPort(), clients, seconds, sendReport);
        double[] used = cpu.seconds();
        System.out.printf(
                "  reports: %.0f /s (goal 20,000) after a %d s warm-up; controller %.2f cores, i.e. %.0f reports"
                        + " per controller CPU-second; client %.2f cores; RSS %d MB%n",
                reports / (double) seconds,
                warmUp,
                used[0] / seconds,
                reports / used[0],
                used[1] / seconds,
                ProcStat.rssMb(pid));
        if (reports == 0) {
            throw new IllegalStateException("no report was accepted");
        }
    }

    /** 1 MB profiles, each to one of the functions in turn. */
    private static void uploads(ControllerProcess c, int functions, int clients, int seconds, int warmUp, long self)
            throws Exception {
        long pid = c.process.pid();
        byte[] profile = profile(1 << 20);
        byte[][] uploadHeads = new byte[functions][];
        for (int f = 0; f < functions; f++) {
            uploadHeads[f] = RawHttpClient.head(
                    "POST",
                    "/v1/profiles/fn-" + f,
                    profile.length,
                    "Content-Type: text/plain",
                    "X-Perfaas-Instance: i-0");
        }
        AtomicLong next = new AtomicLong();
        Call upload = http -> http.send(uploadHeads[(int) (next.getAndIncrement() % functions)], profile);
        drive(c.url.getPort(), clients, warmUp, upload);
        System.out.printf("  uploads warmed up for %d s; measuring%n", warmUp);

        PeakRss peakRss = new PeakRss(pid);
        Cpu cpu = new Cpu(pid, self);
        long uploads = drive(c.url.getPort(), clients, seconds, upload);
        double[] used = cpu.seconds();
        peakRss.close();
        double mb = uploads * (profile.length / 1e6);
        System.out.printf(
                "  profile uploads of %.1f MB: %.0f MB/s written durably; controller %.2f cores, i.e."
                        + " %.0f MB per controller CPU-second (goal 150); client %.2f cores%n",
                profile.length / 1e6, mb / seconds, used[0] / seconds, mb / used[0], used[1] / seconds);
        System.out.printf(
                "  controller RSS during uploads: peak %d MB; after: %d MB (goal < 512)%n",
                peakRss.mb(), ProcStat.rssMb(pid));
        if (uploads == 0) {
            throw new IllegalStateException("no upload was accepted");
        }
    }

    interface Call {
        int send(RawHttpClient http) throws Exception;
    }

    /** Closed loop: each connection sends its next request when the last one answered; counts 2xx. */
    private static long drive(int port, int clients, int seconds, Call call) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                try (RawHttpClient http = new RawHttpClient("127.0.0.1", port)) {
                    while (System.nanoTime() < end) {
                        try {
                            (call.send(http) / 100 == 2 ? ok : failed).increment();
                        } catch (Exception e) {
                            failed.increment();
                        }
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.sum() > 0) {
            System.out.printf("  (%d requests failed)%n", failed.sum());
        }
        return ok.sum();
    }

    /** CPU seconds the controller and this client process used since construction. */
    private record Cpu(long controller, long client, long controllerStart, long clientStart) {
        Cpu(long controller, long client) {
            this(controller, client, ProcStat.cpuMillis(controller), ProcStat.cpuMillis(client));
        }

        double[] seconds() {
            return new double[] {
                (ProcStat.cpuMillis(controller) - controllerStart) / 1000.0,
                (ProcStat.cpuMillis(client) - clientStart) / 1000.0
            };
        }
    }

    private static String report(String function, String instance, long n) {
        long start = 1_795_439_942_000L + n;
        return "{\"function\":\"" + function + "\",\"instance\":\"" + instance + "\",\"windowStartMillis\":" + start
                + ",\"windowEndMillis\":" + (start + 60_000)
                + ",\"engine\":\"perf\",\"engineError\":null,\"policyVersion\":1,"
                + "\"fraction\":0.01,\"frequencyHz\":99,\"invocations\":6000,\"traced\":60,\"errors\":0,\"wallNanos\":240000000000,"
                + "\"processCpuNanos\":250000000000,\"hookCpuNanos\":50000000,\"perfCpuNanos\":200000000,"
                + "\"tracedCpuNanos\":2400000000,\"tracedMeasured\":60,\"controlCpuNanos\":2390000000,\"controlMeasured\":60,"
                + "\"allocatedBytes\":120000000,\"allocationMeasured\":120,\"samples\":230,\"samplesInTraced\":200,"
                + "\"coldStart\":null,\"latencyBuckets\":[[33554432,5800],[41943040,200]]}";
    }

    /** A perf script text of about {@code bytes}: a header, then samples with short stacks. */
    /** A body of {@code bytes} or a little more, shaped like a perf engine's profile of pi. */
    static byte[] profile(int bytes) {
        StringBuilder sb = new StringBuilder("# ========\n# captured on    : bench\n# ========\n#\n");
        for (long i = 0; sb.length() < bytes; i++) {
            sb.append("perfaas-request  4747 ")
                    .append(100 + i / 1000)
                    .append('.')
                    .append(String.format("%06d", i % 1000 * 1000))
                    .append(":    10101010 cpu-clock:pppH: \n")
                    .append(
                            "\t    7fbfb8f255b4 double com.openfaas.function.Handler.leibnizPi(long)+0x74 (/tmp/perf-4725.map)\n")
                    .append("\t           891f5 start_thread+0x305 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
