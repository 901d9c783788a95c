package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps a node safe from the sampler: a perf that dies is started again, one that keeps failing
 * is refused (and the report says so), and the perf data kept on disk is bounded.
 */
class PerfSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refreshed once an hour: no poller runs in these tests, and the policy must not expire. */
    private static final String SAMPLE_ALL =
            "{\"fraction\":1.0,\"frequencyHz\":997,\"windowSeconds\":60,\"refreshSeconds\":3600,\"version\":3}";

    @Test
    void aPerfThatCannotStartIsRefusedAfterThreeFailuresAndTheReportSaysWhy(@TempDir Path dir) throws Exception {
        Path starts = dir.resolve("starts");
        Path fakePerf = dir.resolve("perf");
        // A perf the kernel refuses: it says so and exits, as perf does without CAP_PERFMON.
        Files.writeString(
                fakePerf,
                "#!/bin/sh\necho started >>" + starts
                        + "\necho 'Error: perf_event_open(...) failed: Operation not permitted' >&2\nexit 255\n");
        fakePerf.toFile().setExecutable(true);
        Instance self = new Instance(
                "pi",
                "self",
                ProcessHandle.current().pid(),
                Cgroup.of(ProcessHandle.current().pid()),
                null);
        try (StandInController controller = new StandInController(SAMPLE_ALL);
                Uplink uplink = new Uplink()) {
            InstanceSampler s = sampler(self, controller, uplink, fakePerf.toString(), dir);
            s.start();
            try {
                await(() -> !controller.reports.isEmpty(), 60);
                TimeUnit.SECONDS.sleep(1); // a fourth start would come within a slot or two
            } finally {
                s.close();
            }
            assertEquals(
                    InstanceSampler.MAX_FAILURES, Files.readAllLines(starts).size(), "perf starts");
            JsonNode report = JSON.readTree(controller.reports.get(0));
            String why = report.path("engineRefused").path(ControllerApi.ENGINE).asText();
            assertTrue(why.startsWith("perf failed 3 times within an hour: "), why);
            assertTrue(why.contains("Operation not permitted"), why);
            assertEquals(0, report.path("traced").asLong(), "nothing was sampled");
        }
    }

    @Test
    void aPerfThatDiesIsStartedAgainUntilItHasDiedThreeTimes(@TempDir Path dir) throws Exception {
        try (HostCgroups cgroups = HostCgroups.assumeWritableWithPerf();
                StandInController controller = new StandInController(SAMPLE_ALL);
                Uplink uplink = new Uplink()) {
            long pid = cgroups.start(
                    "perfaas-agent-test-" + ProcessHandle.current().pid() + "/dies");
            Instance fn = new Instance("fn", "dies", pid, Cgroup.of(pid), null);
            InstanceSampler s = sampler(fn, controller, uplink, "perf", dir);
            s.start();
            try {
                long previous = -1;
                for (int death = 0; death < InstanceSampler.MAX_FAILURES; death++) {
                    long before = previous;
                    await(() -> perf().filter(p -> p.pid() != before).isPresent(), 60);
                    ProcessHandle perf = perf().orElseThrow();
                    assertNotEquals(previous, perf.pid());
                    previous = perf.pid();
                    perf.destroyForcibly();
                    perf.onExit().get(30, TimeUnit.SECONDS);
                }
                await(() -> !controller.reports.isEmpty(), 60);
                assertEquals(Optional.empty(), perf(), "refused after " + InstanceSampler.MAX_FAILURES + " deaths");
                String why = JSON.readTree(controller.reports.get(0))
                        .path("engineRefused")
                        .path(ControllerApi.ENGINE)
                        .asText();
                assertTrue(why.contains("perf exited"), why);
            } finally {
                s.close();
            }
        }
    }

    /**
     * Each perf.data file starts with what perf synthesizes for every process of the node (~200 KB
     * here), so the bound is set above that: 1 MB, which two busy processes sampled at 997 Hz pass
     * within a window or two.
     */
    @Test
    void perfDataIsCutAndSentBeforeItPassesItsBound(@TempDir Path dir) throws Exception {
        long limit = 1 << 20;
        try (HostCgroups cgroups = HostCgroups.assumeWritableWithPerf();
                StandInController controller = new StandInController(SAMPLE_ALL);
                Uplink uplink = new Uplink()) {
            String cgroup = "perfaas-agent-test-" + ProcessHandle.current().pid() + "/busy";
            long pid = cgroups.start(cgroup, "sh", "-c", "while :; do :; done");
            cgroups.start(cgroup, "sh", "-c", "while :; do :; done");
            Instance fn = new Instance("fn", "busy", pid, Cgroup.of(pid), null);
            InstanceSampler s = sampler(fn, controller, uplink, "perf", dir).withDataLimit(limit);
            long largest = 0;
            JsonNode cut = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            try {
                s.start();
                // The cut window's profile is rendered and sent after its report: wait for both.
                while ((cut == null || !hasPerfProfile(controller)) && System.nanoTime() < deadline) {
                    largest = Math.max(largest, dataBytes(dir));
                    TimeUnit.MILLISECONDS.sleep(20);
                    if (cut == null) {
                        cut = cutBySize(controller.reports);
                    }
                }
            } finally {
                s.close();
            }
            System.out.printf(
                    "perf data bound %d KB: largest file seen %d KB; reports %s%n",
                    limit >> 10, largest >> 10, controller.reports);
            assertTrue(cut != null, "no window was cut short by the size of its perf data");
            assertTrue(cut.path("samples").asLong() >= 2, cut.toString());
            // perf writes between two checks (100 ms slots): at 997 Hz, far under 1 MB more.
            assertTrue(largest < 2 * limit, "perf.data reached " + largest + " bytes, bound " + limit);
            assertTrue(hasPerfProfile(controller), "a perf script profile");
        }
    }

    private static boolean hasPerfProfile(StandInController controller) {
        return controller.profiles.stream().anyMatch(p -> p.contains(" cpu-clock"));
    }

    /** A report whose window ended before its length (10 s the first, the policy's 60 s after). */
    private static JsonNode cutBySize(List<String> reports) throws Exception {
        for (int i = 0; i < reports.size(); i++) {
            JsonNode r = JSON.readTree(reports.get(i));
            long length = (i == 0 ? InstanceSampler.FIRST_WINDOW_SECONDS : 60) * 1000L;
            if (r.path("windowEndMillis").asLong() - r.path("windowStartMillis").asLong() < length - 500) {
                return r;
            }
        }
        return null;
    }

    /** Not started: the policy is polled once, so the sampler follows it from its first slot. */
    private static InstanceSampler sampler(
            Instance instance, StandInController controller, Uplink uplink, String perf, Path dir) throws Exception {
        ControllerApi api = new ControllerApi(controller.url(), null);
        PolicyBook policies = new PolicyBook(api);
        policies.poll(instance.function(), instance.name());
        return new InstanceSampler(instance, policies, api, uplink, perf, dir.resolve("work"));
    }

    /** The perf this JVM runs now, if any. */
    private static Optional<ProcessHandle> perf() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.isAlive()
                        && p.info().command().map(c -> c.endsWith("/perf")).orElse(false))
                .findFirst();
    }

    private static long dataBytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
            return files.filter(f -> f.getFileName().toString().equals("perf.data"))
                    .mapToLong(f -> f.toFile().length())
                    .max()
                    .orElse(0);
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return 0; // a directory went while walked
        }
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + seconds + " s");
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
