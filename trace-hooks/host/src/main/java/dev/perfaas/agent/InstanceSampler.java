package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Samples one function instance's cgroup under its function's policy, on a thread of its own.
 *
 * <p>Time is cut into {@link #SLOT_MILLIS} slots and each slot is sampled with probability
 * {@code fraction}, so the sampled share of time is the policy's fraction and no periodic work of the
 * function is always (or never) caught. A report counts the slots as {@code invocations} and the
 * sampled ones as {@code traced}: the controller's law then sees the sampled share of the function's
 * CPU exactly as it sees a hook's traced invocations (docs/protocol.md, engine host-perf).
 *
 * <p>Every window (the policy's {@code windowSeconds}, the first one {@link #FIRST_WINDOW_SECONDS})
 * ends with a report. perf's output is cut into a profile, rendered while the instance lives (perf
 * resolves binaries and JIT maps through the live processes) and uploaded, when {@link ProfileCut}
 * says it is worth perf script's fixed cost; until then the reports say {@code samplesPending} and
 * the one that cuts brings the samples. An instance that goes away takes its unfinished windows with it.
 */
final class InstanceSampler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas-agent");
    /** A toggle round trip took ~0.4 ms here (write, ack): two per sampled run of slots stay under 1 % of a slot. */
    static final long SLOT_MILLIS = 100;
    /** As the hook's first window: a new function has a report and a profile within seconds. */
    static final int FIRST_WINDOW_SECONDS = 10;
    /** As the hook's perf: a perf that fails this often within an hour is not started again. */
    static final int MAX_FAILURES = 3;
    /** The controller's bound on an engineRefused text (docs/protocol.md). */
    static final int MAX_REFUSAL_LENGTH = 2_000;
    /** The engine the agent's reports name. */
    /** perf data kept on disk per instance: past this the profile is cut (and sent) early. */
    static final long MAX_DATA_BYTES = 64L << 20;

    private final Instance instance;
    private final PolicyBook policies;
    private final ControllerApi api;
    private final Uplink uplink;
    private final String perfCommand;
    private final Path dir;
    private final Random random = new Random();
    private final Thread thread;
    private final WatchdogMetrics watchdog;
    private final Deque<Long> failures = new ArrayDeque<>();
    private String lastFailure = "";
    private long maxDataBytes = MAX_DATA_BYTES;
    private volatile boolean stopped;

    private PerfRecord perf;
    private long windowStartMillis;
    private long windowEndNanos;
    private long slots;
    private long sampledSlots;
    private long cgroupCpuAtStart;
    private long perfCpuAtStart;
    private long perfCpuClosed;
    private Policy followed = Policy.OFF;
    private final ProfileCut cut = new ProfileCut();
    /** Start of the first window the running profile covers: it names the profile's file. */
    private long profileStartMillis = -1;

    InstanceSampler(
            Instance instance, PolicyBook policies, ControllerApi api, Uplink uplink, String perfCommand, Path work) {
        this.instance = instance;
        this.policies = policies;
        this.api = api;
        this.uplink = uplink;
        this.perfCommand = perfCommand;
        this.dir = work.resolve(instance.function() + "-" + instance.name());
        this.watchdog = new WatchdogMetrics(Path.of("/proc"), instance.hostPid());
        this.thread = new Thread(this::run, "perfaas-agent-" + instance.name());
        thread.setDaemon(true);
    }

    Instance instance() {
        return instance;
    }

    void start() {
        thread.start();
    }

    /** For tests: a smaller bound on the perf data kept before a cut. */
    InstanceSampler withDataLimit(long bytes) {
        maxDataBytes = bytes;
        return this;
    }

    private void run() {
        startWindow(FIRST_WINDOW_SECONDS);
        watchdog.window(); // the counters the first window's growth is measured from
        long nextSlot = System.nanoTime();
        while (!stopped) {
            Policy p = policies.get(instance.function());
            try {
                slot(p);
            } catch (IOException e) {
                failed(e);
            }
            nextSlot += TimeUnit.MILLISECONDS.toNanos(SLOT_MILLIS);
            long wait = nextSlot - System.nanoTime();
            if (wait < 0) {
                nextSlot = System.nanoTime(); // fell behind (a render, a busy machine): slots restart from now
            } else {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (!stopped && System.nanoTime() - windowEndNanos >= 0) {
                closeWindow(p, false);
            } else if (!stopped && perf != null && perf.dataBytes() > maxDataBytes) {
                closeWindow(p, true); // bounded disk: cut and send what perf wrote so far
            }
        }
        stopPerf();
    }

    /** One slot: drawn sampled or not, perf (re)started or stopped as the policy asks. */
    private void slot(Policy p) throws IOException {
        boolean refused = failures.size() >= MAX_FAILURES;
        if (!p.samples() || refused) {
            if (perf != null) {
                perf.enable(false);
            }
            slots++;
            return;
        }
        if (perf != null && perf.frequencyHz != p.frequencyHz()) {
            closeWindow(followed, true); // the profile so far was taken at the old frequency
            stopPerf();
        }
        if (perf != null && !perf.alive()) {
            failed(new IOException("perf exited" + perf.exitNote())); // restarted below unless refused now
            if (failures.size() >= MAX_FAILURES) {
                slots++;
                return;
            }
        }
        if (perf == null) {
            perf = PerfRecord.start(perfCommand, instance.cgroup().perfEvent(), p.frequencyHz(), dir.resolve("perf"));
            perfCpuAtStart = 0;
        }
        followed = p;
        boolean sampled = random.nextDouble() < p.fraction();
        perf.enable(sampled);
        slots++;
        if (sampled) {
            sampledSlots++;
        }
    }

    /** Ends the window with its report; {@code force} cuts the profile whatever it holds (the frequency changes). */
    private void closeWindow(Policy p, boolean force) {
        long endMillis = System.currentTimeMillis();
        long cgroupCpu = Math.max(0, instance.cgroup().cpuNanos() - cgroupCpuAtStart);
        double windowSeconds = Math.max(0.001, (endMillis - windowStartMillis) / 1000.0);
        double sampledCpuSeconds = sampledSlots * SLOT_MILLIS / 1000.0 * Math.min(1, cgroupCpu / 1e9 / windowSeconds);
        if (profileStartMillis < 0) {
            profileStartMillis = windowStartMillis;
        }
        boolean recording = perf != null && perf.alive();
        boolean cutNow = recording && cut.add(p.frequencyHz() * sampledCpuSeconds, force);
        long samples = 0;
        long scriptCpu = 0;
        Path profile = null;
        if (cutNow) {
            try {
                Path data = perf.cut();
                try (JitMaps maps = JitMaps.copy(instance.cgroup().procs())) {
                    ProfileRender.Rendered r = ProfileRender.render(
                            perfCommand, data, dir.resolve("profile-" + profileStartMillis + ".perf.gz"));
                    samples = r.samples();
                    scriptCpu = r.scriptCpuNanos();
                    profile = r.file();
                } finally {
                    Files.deleteIfExists(data);
                }
            } catch (IOException e) {
                failed(e);
            }
        }
        Map<String, Object> report = report(
                instance,
                p,
                windowStartMillis,
                endMillis,
                slots,
                sampledSlots,
                samples,
                recording && !cutNow, // no perf ran: nothing is pending
                cgroupCpu,
                perfCpuSinceStart() + scriptCpu,
                CgroupStats.read(instance.cgroup()),
                watchdog.window());
        if (profile != null) {
            Path file = profile;
            long start = profileStartMillis;
            int hz = perf.frequencyHz;
            long clockOffset = ControllerApi.clockOffsetNanos();
            uplink.addProfile(new Uplink.Send() {
                @Override
                public void send() throws IOException, InterruptedException {
                    api.postProfile(instance, start, hz, clockOffset, file);
                }

                @Override
                public void close() {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // the next start clears the directory
                    }
                }
            });
        }
        if (cutNow) {
            profileStartMillis = -1;
        }
        if (failures.size() >= MAX_FAILURES) {
            report.put("engineRefused", Map.of(ControllerApi.ENGINE, lastFailure));
        }
        uplink.addReport(() -> api.postReport(report));
        startWindow(p.windowSeconds());
    }

    /**
     * The window's report in the protocol's fields (docs/protocol.md); those a hook alone measures are 0.
     * {@code cgroup} (null: gone) and {@code watchdogWindow} (null: no watchdog port) are left out when null.
     */
    static Map<String, Object> report(
            Instance instance,
            Policy p,
            long windowStartMillis,
            long endMillis,
            long slots,
            long sampledSlots,
            long samples,
            boolean pending,
            long cgroupCpu,
            long perfCpu,
            CgroupStats cgroup,
            Map<String, Object> watchdogWindow) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("function", instance.function());
        r.put("instance", instance.name());
        r.put("windowStartMillis", windowStartMillis);
        r.put("windowEndMillis", Math.max(windowStartMillis, endMillis));
        r.put("engine", ControllerApi.ENGINE);
        r.put("engineRefused", Map.of());
        r.put("policyVersion", p.version());
        r.put("fraction", p.fraction());
        r.put("frequencyHz", p.frequencyHz());
        r.put("invocations", slots);
        r.put("traced", sampledSlots);
        r.put("errors", 0);
        r.put("wallNanos", 0);
        r.put("engineLoadCpuNanos", 0);
        r.put("processCpuNanos", cgroupCpu);
        r.put("hookCpuNanos", 0);
        r.put("perfCpuNanos", perfCpu);
        r.put("tracedCpuNanos", 0);
        r.put("tracedWallNanos", 0);
        r.put("tracedMeasured", 0);
        r.put("controlCpuNanos", 0);
        r.put("controlWallNanos", 0);
        r.put("controlMeasured", 0);
        r.put("allocatedBytes", 0);
        r.put("allocationMeasured", 0);
        r.put("samples", samples);
        r.put("samplesInTraced", samples); // perf samples only while a slot is sampled
        r.put("samplesPending", pending);
        r.put("latencyBuckets", List.of());
        r.put("tracedLatencyBuckets", List.of());
        if (cgroup != null) {
            r.put("cgroup", cgroup.toReport());
        }
        if (watchdogWindow != null) {
            r.put("watchdog", watchdogWindow);
        }
        return r;
    }

    private void startWindow(int seconds) {
        windowStartMillis = System.currentTimeMillis();
        windowEndNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        slots = 0;
        sampledSlots = 0;
        cgroupCpuAtStart = instance.cgroup().cpuNanos();
        perfCpuClosed = 0;
        perfCpuAtStart = perf == null ? 0 : Math.max(0, perf.cpuNanos());
    }

    /** perf record's CPU in this window: of the running perf since the window began, and of those stopped in it. */
    private long perfCpuSinceStart() {
        long running = perf == null ? 0 : Math.max(0, perf.cpuNanos() - perfCpuAtStart);
        return perfCpuClosed + running;
    }

    private void stopPerf() {
        if (perf != null) {
            perfCpuClosed += Math.max(0, perf.cpuNanos() - perfCpuAtStart);
            perf.close();
            perf = null;
            perfCpuAtStart = 0;
        }
    }

    private void failed(IOException e) {
        String why = "perf failed " + MAX_FAILURES + " times within an hour: " + e.getMessage();
        lastFailure = why.length() > MAX_REFUSAL_LENGTH ? why.substring(0, MAX_REFUSAL_LENGTH) : why;
        long now = System.nanoTime();
        failures.addLast(now);
        while (now - failures.peekFirst() > TimeUnit.HOURS.toNanos(1)) {
            failures.removeFirst();
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "perf for " + instance.function() + "/" + instance.name() + " failed"
                        + (failures.size() >= MAX_FAILURES
                                ? " " + MAX_FAILURES + " times within an hour: not sampled again"
                                : "")
                        + ": " + e.getMessage());
        stopPerf();
    }

    /** Stops sampling; the unfinished window is dropped. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
