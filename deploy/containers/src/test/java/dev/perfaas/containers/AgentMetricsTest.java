package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent on the host reports each function's cgroup, and the controller's Prometheus
 * endpoint shows it under OpenFaaS's paid editions' names: for a Go and a Node.js function perfaas did
 * not build, {@code pod_cpu_usage_seconds_total} and {@code pod_memory_working_set_bytes} within 10 %
 * of what the test reads in the container's own cgroup files, read just before and just after the
 * scrape (the scraped figure is the agent's last report, so it is awaited to fall between the two);
 * a function that outgrows its memory limit shows the kernel's OOM kill in
 * {@code perfaas_function_oom_kills_total}.
 */
class AgentMetricsTest {
    /** A sample line of the Prometheus text format; /metrics ends label sets with a comma. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{(.*?),?} (\\S+)$", Pattern.MULTILINE);

    private static final double TOLERANCE = 0.10;
    /** CPU the function is loaded to before the comparison, at most for {@link #LOADED}. */
    private static final double MIN_CPU_SECONDS = 2.0;

    private static final Duration LOADED = Duration.ofMinutes(2);
    /** Several of the agent's 5 s windows, on a loaded 2-core machine. */
    private static final Duration REPORTED = Duration.ofMinutes(2);

    @TempDir
    static Path work;

    private static ControllerContainer controller;
    private static NodeAgentProcess agent;

    @BeforeEach
    void hostCanProfile() throws Exception {
        DockerEngine.assumeRunning();
        HostPerf.assumeReady();
        if (controller == null) {
            controller = ControllerContainer.start(work.resolve("controller"), ControllerContainer.SHORT_WINDOWS);
            agent = NodeAgentProcess.start(controller.url, work.resolve("agent"));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void aGoFunctionsCpuAndWorkingSetAreItsCgroups() throws Exception {
        matchesItsCgroup("go-metrics", Images.goFunction(), "/?n=200000");
    }

    @Test
    void aNodeFunctionsCpuAndWorkingSetAreItsCgroups() throws Exception {
        matchesItsCgroup("node-metrics", Images.nodeFunction(), "/?n=1000000");
    }

    /**
     * A Node.js handler that keeps memory, in a container limited to 96 MiB (no swap) whose first
     * process restarts the server when it dies, as a watchdog in fork mode or a pod's restart would:
     * the kernel kills the server, the container lives on, and the kill is counted.
     */
    @Test
    void aFunctionPastItsMemoryLimitShowsAnOomKill() throws Exception {
        String fn = "node-oom";
        int port = Http.freePort();
        try (Container c = Container.create(
                Images.nodeFunction(),
                List.of(
                        "--network", "host",
                        "-e", "PORT=" + port,
                        "--label", "faas_function=" + fn,
                        "--memory", "96m",
                        "--memory-swap", "96m",
                        "--entrypoint", "sh"),
                List.of("-c", "while :; do node /app/server.js; done"))) {
            c.start();
            URI base = URI.create("http://127.0.0.1:" + port);
            Ready.awaitOk(base.resolve("/?n=10"), c);
            CgroupFiles cgroup = CgroupFiles.of(c);
            for (int i = 0; i < 40 && cgroup.oomKills() == 0; i++) {
                try {
                    Http.get(base.resolve("/?mb=16"));
                } catch (IOException e) {
                    // the server killed mid-request: what this test is after
                }
            }
            long kills = cgroup.oomKills();
            assertTrue(kills >= 1, "the kernel killed nothing in " + fn + "'s cgroup; log:\n" + c.logTail());
            assertTrue(c.running(), "the container died with its server: " + c.logTail());
            Ready.awaitOk(base.resolve("/?n=10"), c); // served again, by the restarted server
            try {
                await().atMost(REPORTED)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> scraped(fn, "perfaas_function_oom_kills_total") == kills);
            } catch (ConditionTimeoutException e) {
                fail("perfaas_function_oom_kills_total of " + fn + " is "
                        + scraped(fn, "perfaas_function_oom_kills_total") + ", the cgroup counted " + kills
                        + "\nagent log:\n" + agent.logTail());
            }
            System.out.printf("agent metrics: %s OOM-killed %d time(s), scraped %d%n", fn, kills, kills);
        }
    }

    private static void matchesItsCgroup(String fn, String image, String request) throws Exception {
        int port = Http.freePort();
        try (Container c = Container.create(
                image,
                List.of(
                        "--network",
                        "host",
                        "-e",
                        "PORT=" + port,
                        "--label",
                        "faas_function=" + fn,
                        "--memory",
                        "256m"))) {
            c.start();
            URI url = URI.create("http://127.0.0.1:" + port + request);
            Ready.awaitOk(url, c);
            CgroupFiles cgroup = CgroupFiles.of(c);
            // Enough CPU that what the function spends between the agent's last reading and the scrape
            // (its idle work, perf's sampling) stays far below 10 % of it.
            long until = System.nanoTime() + LOADED.toNanos();
            long answered = 0;
            while (System.nanoTime() < until && cgroup.cpuSeconds() < MIN_CPU_SECONDS) {
                assertEquals(200, Http.get(url).statusCode());
                answered++;
            }
            double cpu = cgroup.cpuSeconds();
            assertTrue(
                    cpu >= MIN_CPU_SECONDS,
                    fn + " used only " + cpu + " s of CPU in " + LOADED + " of requests: too little to compare");
            AtomicReference<String> last = new AtomicReference<>("no scrape yet");
            try {
                await().atMost(REPORTED).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    double cpuBefore = cgroup.cpuSeconds();
                    long wsBefore = cgroup.workingSetBytes();
                    Map<String, Double> m = pod(fn);
                    double cpuAfter = cgroup.cpuSeconds();
                    long wsAfter = cgroup.workingSetBytes();
                    Double scrapedCpu = m.get("pod_cpu_usage_seconds_total");
                    Double scrapedWs = m.get("pod_memory_working_set_bytes");
                    last.set(String.format(
                            "cpu: cgroup %.3f..%.3f s, scraped %s; working set: cgroup %d..%d, scraped %s",
                            cpuBefore, cpuAfter, scrapedCpu, wsBefore, wsAfter, scrapedWs));
                    return scrapedCpu != null
                            && scrapedWs != null
                            && within(scrapedCpu, cpuBefore, cpuAfter)
                            && within(scrapedWs, Math.min(wsBefore, wsAfter), Math.max(wsBefore, wsAfter));
                });
            } catch (ConditionTimeoutException e) {
                fail(fn + ": the scraped pod_* series never came within 10 % of the cgroup's (" + last.get()
                        + ")\nagent log:\n" + agent.logTail());
            }
            System.out.printf("agent metrics: %s after %d requests: %s%n", fn, answered, last.get());
            Object usage = ControllerApi.function(controller.url, fn).get("usage");
            assertEquals(1, ((Number) ((Map<?, ?>) usage).get("liveInstances")).intValue(), "one container: " + usage);
        }
    }

    private static boolean within(double scraped, double low, double high) {
        return scraped >= low * (1 - TOLERANCE) && scraped <= high * (1 + TOLERANCE);
    }

    /** The function's pod_* samples, labelled as OpenFaaS's paid editions label them. */
    private static Map<String, Double> pod(String fn) throws Exception {
        return samples("function_name=\"" + fn + "\",namespace=\"openfaas-fn\"");
    }

    private static double scraped(String fn, String name) throws Exception {
        return samples("function_name=\"" + fn + "\"").getOrDefault(name, -1.0);
    }

    private static Map<String, Double> samples(String labels) throws Exception {
        String text = Http.get(controller.url.resolve("/q/metrics")).body();
        Map<String, Double> found = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(2).equals(labels)) {
                found.put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        return found;
    }

    /**
     * A container's cgroup files as the kernel writes them, read independently of the agent: v1
     * (cpuacct, memory: this machine kind's hybrid layout) or v2. Working set as cAdvisor defines it.
     */
    private record CgroupFiles(Path cpu, Path memory, boolean v1) {
        static CgroupFiles of(Container c) throws IOException {
            String pid = c.inspect("{{.State.Pid}}").strip();
            Map<String, String> paths = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
                String[] f = line.split(":", 3);
                for (String controller : f[1].split(",")) {
                    paths.put(controller, f[2]);
                }
            }
            Path root = Path.of("/sys/fs/cgroup");
            if (paths.containsKey("memory") && paths.containsKey("cpuacct")) {
                return new CgroupFiles(
                        root.resolve("cpuacct" + paths.get("cpuacct")).resolve("cpuacct.usage"),
                        root.resolve("memory" + paths.get("memory")),
                        true);
            }
            Path v2 = root.resolve(paths.get("").substring(1));
            return new CgroupFiles(v2.resolve("cpu.stat"), v2, false);
        }

        double cpuSeconds() throws IOException {
            if (v1) {
                return Long.parseLong(Files.readString(cpu).strip()) / 1e9;
            }
            return keyed(cpu, "usage_usec") / 1e6;
        }

        long workingSetBytes() throws IOException {
            long usage =
                    Long.parseLong(Files.readString(memory.resolve(v1 ? "memory.usage_in_bytes" : "memory.current"))
                            .strip());
            long inactive = keyed(memory.resolve("memory.stat"), v1 ? "total_inactive_file" : "inactive_file");
            return Math.max(0, usage - inactive);
        }

        long oomKills() throws IOException {
            return keyed(memory.resolve(v1 ? "memory.oom_control" : "memory.events"), "oom_kill");
        }

        private static long keyed(Path file, String key) throws IOException {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + " ")) {
                    return Long.parseLong(line.substring(key.length() + 1).strip());
                }
            }
            throw new IOException("no " + key + " in " + file);
        }
    }
}
