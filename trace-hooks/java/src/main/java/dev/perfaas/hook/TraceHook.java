package dev.perfaas.hook;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trace hook a function runtime calls around every invocation:
 * <pre>{@code
 * Invocation inv = hook.begin();
 * try { ... handle ... } finally { hook.end(inv, failed); }
 * }</pre>
 * The request path only draws a random number against the cached policy, bumps striped
 * counters and one count of invocations in flight and, for a traced invocation, switches the sampling engine on and off for it
 * ({@link Engines}: async-profiler's thread filter, perf's control fifo, or JFR's intervals).
 * Everything else (policy refresh, engine start and rotation, rendering profiles, uploads,
 * reports) runs on the hook's own threads, and any failure there leaves the function running
 * untraced.
 */
public final class TraceHook implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas");
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** How many refresh periods a policy outlives a controller that stopped answering. */
    private static final int POLICY_LIFETIME_REFRESHES = 3;
    private static final long IN_FLIGHT_WAIT_MS = 30_000;
    static final int MIN_SAMPLES_PER_PROFILE = 100;
    static final int MAX_WINDOWS_PER_PROFILE = 10;
    /**
     * One untraced invocation in this many per thread has its allocation measured (traced and
     * control ones always): the two reads of the thread's allocation counter cost ~18 ns together
     * (~9 ns each, HookFastPathBench.threadAllocatedBytes), which every invocation would add to a
     * fast path of 55-80 ns that must stay under 100 ns; one in eight adds ~2 ns on average.
     */
    static final int MEMORY_SAMPLE_EVERY = 8;

    private final HookConfig config;
    private final ControllerClient client;
    private final CpuAccount hookCpu = new CpuAccount();
    private final Outbox outbox = new Outbox();
    private final SlowCallWatcher slowCalls;
    private final Thread slowCallThread;
    private final ThreadLocal<Invocation> invocations = ThreadLocal.withInitial(this::newInvocation);
    private final Set<Long> requestThreads = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService policyThread;
    private final ScheduledExecutorService windowThread;
    private final Engines engines;
    private final InstanceIdentity identity = InstanceIdentity.read();
    /** Invocations between begin and end now, across windows. */
    private final AtomicLong inFlight = new AtomicLong();
    private final MemoryGauges memoryGauges = MemoryGauges.find();

    private volatile Policy policy = Policy.OFF;
    private volatile Window window = new Window();
    private volatile Sampler session;
    private volatile boolean warm;
    /** JVM uptime when the runtime said it was ready; -1 until it does. */
    private volatile long startToReadyMillis = -1;

    // Owned by the window thread.
    private long policyExpiresAtNanos;
    private long lastProcessCpu = OS.getProcessCpuTime();
    private long lastHookCpu;
    private long lastReapedCpu = ProcCpu.reapedChildrenNanos();
    /** The sampler the last window cut: its perf, if it stopped, has been reaped since. */
    private Sampler lastFinished;
    /** perf CPU credited back before the reap that brings it showed in our children's CPU. */
    private long perfCpuCarry;
    /** CPU of loading the engine at start, once per process: reported apart, not as running cost. */
    private long engineLoadCpu;

    private TraceHook(HookConfig config) {
        this.config = config;
        this.client = new ControllerClient(config);
        this.policyThread = Executors.newSingleThreadScheduledExecutor(r -> hookThread(r, "perfaas-policy"));
        this.windowThread = Executors.newSingleThreadScheduledExecutor(r -> hookThread(r, "perfaas-window"));
        this.engines = new Engines(config, hookCpu, () -> requestThreads);
        this.slowCalls = new SlowCallWatcher(() -> policy, config.spoolDir(), outbox::add);
        this.slowCallThread = hookThread(slowCalls, "perfaas-slow-calls");
    }

    /** Starts a hook from the environment ({@link HookConfig}); never throws. */
    public static TraceHook fromEnvironment() {
        return start(HookConfig.fromEnvironment());
    }

    public static TraceHook start(HookConfig config) {
        TraceHook hook = new TraceHook(config);
        if (config.enabled()) {
            hook.windowThread.execute(hook::loadEngine);
            hook.policyThread.execute(hook::refreshPolicy);
            hook.windowThread.scheduleWithFixedDelay(hook::tick, 1, 1, TimeUnit.SECONDS);
            hook.slowCallThread.start();
        } else {
            LOG.log(System.Logger.Level.INFO, "perfaas hook disabled (PERFAAS_DISABLED=true)");
        }
        return hook;
    }

    private Thread hookThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        hookCpu.register(t);
        return t;
    }

    /**
     * Names the calling thread as one that runs invocations. When a runtime names its request
     * threads before tracing starts, perf samples just those, and toggles ~6x faster than on the
     * whole JVM; a thread named later is sampled from the next window on.
     */
    public void registerRequestThread() {
        try {
            requestThreads.add(Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no thread id for perf (" + e + "): the whole process is sampled");
        }
    }

    /**
     * Called by the runtime once it can serve (handler loaded, server listening): JVM start to here
     * is the instance's init time, reported with its cold start.
     */
    public void ready() {
        startToReadyMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private Invocation newInvocation() {
        return slowCalls.watch(new Invocation(Thread.currentThread()));
    }

    // ---- request path ------------------------------------------------------------------------

    public Invocation begin() {
        return begin(null);
    }

    /** {@code callId}: the platform's id of the call (OpenFaaS' X-Call-Id), kept with its profile if it is slow. */
    public Invocation begin(String callId) {
        Invocation inv = invocations.get();
        if (inv.active) inv = new Invocation(); // re-entered on the same thread: rare, allowed
        inv.active = true;
        window.noteInFlight(inFlight.incrementAndGet());
        if (!warm) inv.cold = claimColdStart();
        double fraction = policy.fraction();
        if (fraction > 0) {
            double r = ThreadLocalRandom.current().nextDouble();
            if (r < fraction) {
                Sampler s = session;
                if (s != null && s.enter()) {
                    inv.session = s;
                    inv.mode = Invocation.Mode.TRACED;
                }
            } else if (r < 2 * fraction) {
                // An untraced control group drawn at the same rate: its CPU, set against the
                // traced invocations', tells what tracing adds to an invocation.
                inv.mode = Invocation.Mode.CONTROL;
            }
            if (inv.mode != Invocation.Mode.UNTRACED) inv.cpuStartNanos = THREADS.getCurrentThreadCpuTime();
        }
        if (inv.mode != Invocation.Mode.UNTRACED || --inv.untilWeighed < 0) {
            inv.weighed = true;
            inv.untilWeighed = MEMORY_SAMPLE_EVERY - 1;
            inv.allocStartBytes = THREADS.getCurrentThreadAllocatedBytes();
        }
        inv.callId = callId;
        inv.started(System.nanoTime());
        return inv;
    }

    public void end(Invocation inv, boolean failed) {
        long end = System.nanoTime();
        long wall = end - inv.startNanos;
        inv.ended(wall);
        inFlight.decrementAndGet();
        Window w = window;
        // Before traced: the report reads traced first, so it never counts more traced than invocations.
        w.invocations.increment();
        w.latency.record(wall);
        if (inv.weighed) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - inv.allocStartBytes;
            w.allocatedBytes.add(allocated);
            w.allocationMeasured.increment();
            if (inv.tag >= 0) w.memoryPoints.offer(inv.tag, allocated);
        }
        if (inv.mode != Invocation.Mode.UNTRACED) {
            long cpu = THREADS.getCurrentThreadCpuTime() - inv.cpuStartNanos;
            if (inv.mode == Invocation.Mode.TRACED) {
                inv.session.leave(inv.startNanos, end);
                w.traced.increment();
                w.tracedCpuNanos.add(cpu);
                w.tracedWallNanos.add(wall);
                w.tracedLatency.record(wall);
                w.tracedMeasured.increment();
            } else {
                w.controlCpuNanos.add(cpu);
                w.controlWallNanos.add(wall);
                w.controlMeasured.increment();
            }
        }
        if (inv.cold) {
            w.coldStart = new Window.ColdStart(ManagementFactory.getRuntimeMXBean().getUptime(), wall, startToReadyMillis,
                    identity);
        }
        w.wallNanos.add(wall);
        if (failed) w.errors.increment();
        inv.reset();
    }

    private synchronized boolean claimColdStart() {
        if (warm) return false;
        warm = true;
        return true;
    }

    // ---- background ---------------------------------------------------------------------------

    /** The policy in force; {@link Policy#OFF} until the controller answers. */
    public Policy policy() {
        return policy;
    }

    /** Profiles and reports waiting for the controller. */
    int pendingUploads() {
        return outbox.pending();
    }

    /** The engine sampling now ("async", "perf", "jfr"), or null while none is. */
    public String engineRunning() {
        Sampler s = session;
        return s == null ? null : s.engine();
    }

    /** Why sampling engines were refused here, by engine name; empty while none was. */
    public Map<String, String> engineRefusals() {
        return engines.refused();
    }

    private void refreshPolicy() {
        int next = policy.refreshSeconds();
        try {
            Policy p = client.fetchPolicy();
            synchronized (this) {
                policyExpiresAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) p.refreshSeconds() * POLICY_LIFETIME_REFRESHES);
            }
            boolean changed = !p.equals(policy);
            policy = p;
            if (changed) {
                LOG.log(System.Logger.Level.DEBUG, "policy " + p);
                SlowCallWatcher.wake(slowCallThread);
            }
            next = p.refreshSeconds();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            synchronized (this) {
                if (policy != Policy.OFF && System.nanoTime() - policyExpiresAtNanos > 0) {
                    LOG.log(System.Logger.Level.WARNING, "policy expired and the controller does not answer (" + e + "): tracing stops until it does");
                    policy = Policy.OFF;
                }
            }
        }
        if (!policyThread.isShutdown()) policyThread.schedule(this::refreshPolicy, next, TimeUnit.SECONDS);
    }

    /** Every second on the window thread: start sampling when wanted, close a window when due. */
    private void tick() {
        try {
            Policy p = policy;
            Sampler s = session;
            boolean windowDue = System.nanoTime() - window.startNanos >= TimeUnit.SECONDS.toNanos(p.windowSeconds());
            boolean wanted = wanted(p);
            boolean stale = s != null && !fits(s, p);
            // An engine that broke (perf killed, or stuck) is replaced now, not a window later.
            boolean broken = s != null && !s.usable();
            if (windowDue || stale || broken) {
                closeWindow(p, wanted);
            } else if (s == null && wanted) {
                session = engines.start(engines.asked(p), p.frequencyHz(), null);
            }
            outbox.flush(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "perfaas window task failed; the function is unaffected", e);
        }
    }

    /**
     * Loads the engine before it is asked for (async-profiler: ~100 ms of CPU to extract and load
     * its library, once), while the runtime starts. That one-off cost goes in the first report as
     * engineLoadCpuNanos, apart from the hook's CPU, so the control law, which extrapolates the
     * tracer's running cost, does not take it for a cost of sampling.
     */
    private void loadEngine() {
        long before = hookCpu.totalNanos();
        engines.load();
        engineLoadCpu = hookCpu.totalNanos() - before;
        lastHookCpu += engineLoadCpu;
        lastProcessCpu += engineLoadCpu;
    }

    /** The policy asks for sampling and some engine has not been refused. */
    private boolean wanted(Policy p) {
        return p.samples() && engines.choice(engines.asked(p)) != null;
    }

    /** A running sampler serves the policy as it is: sampling wanted, same frequency, the engine it would pick. */
    private boolean fits(Sampler s, Policy p) {
        return wanted(p) && s.frequencyHz() == p.frequencyHz() && s.engine().equals(engines.choice(engines.asked(p)));
    }

    /**
     * Ends the current window: the next sampler starts as the old one stops (a perf that still
     * serves goes on, its output rotated; a new perf starts before the old one stops, so sampling
     * has no gap); the old one is rendered and sent with the window's report.
     */
    private void closeWindow(Policy p, boolean startNext) throws InterruptedException {
        Window old = window;
        Window next = new Window();
        next.noteInFlight(inFlight.get()); // invocations running on into the new window count in its max
        window = next;
        long endMillis = System.currentTimeMillis();
        Sampler finished = session;
        // The same sampler may go on into the next window: its samples then wait for a later
        // profile, and the report says so, so that the controller does not read this window as sampleless.
        boolean samplesPending = startNext && finished != null && fits(finished, p) && !worthCutting(finished);
        if (samplesPending) {
            finished = null;
        } else {
            session = startNext ? engines.start(engines.asked(p), p.frequencyHz(), finished) : null;
        }

        // CPU of the window just closed; perf script below runs in the next one and counts there.
        long processCpu = OS.getProcessCpuTime();
        long hook = hookCpu.totalNanos();
        long perfCpu = perfCpuSinceLastWindow(finished);

        ProfileFile profile = finished == null ? ProfileFile.EMPTY : finish(finished, old.startMillis);
        long profileStartMillis = finished == null || finished.firstTracedMillis() == 0 ? old.startMillis : finished.firstTracedMillis();
        Sampler running = finished != null ? finished : session;
        String engine = running != null ? running.engine()
                : p.samples() && engines.choice(engines.asked(p)) == null ? "unavailable" : "off";
        Window.Closing closing = new Window.Closing(config.function(), config.instance(), endMillis, p, engine, engines.refused(),
                engineLoadCpu, processCpu - lastProcessCpu, hook - lastHookCpu, perfCpu, profile.samples(),
                profile.samplesInTraced(), samplesPending, memoryGauges.read());
        engineLoadCpu = 0;
        lastProcessCpu = processCpu;
        lastHookCpu = hook;
        if (profile.file() != null) outbox.add(new Outbox.Profile(profile.file(), profileStartMillis));
        outbox.add(old.toReportJson(closing));
    }

    /**
     * Cutting a profile has a fixed cost (perf: a rotation and perf script, ~0.2 s of CPU whatever
     * the profile holds; in process: a restart and reading the recording), so a sampler
     * that traced little is carried into the next window until it likely holds
     * {@link #MIN_SAMPLES_PER_PROFILE} samples, for at most {@link #MAX_WINDOWS_PER_PROFILE}
     * windows. Reports still go every window, those of carried windows marked samplesPending; the
     * samples of all of them come with the window that cuts.
     */
    private static boolean worthCutting(Sampler s) {
        if (!s.usable()) return true;
        if (s.unused()) return false;
        return s.expectedSamples() >= MIN_SAMPLES_PER_PROFILE || s.carryOver() >= MAX_WINDOWS_PER_PROFILE;
    }

    /**
     * CPU of perf processes since the last window (in-process engines count none here: their
     * threads are in the hook's CPU). A running perf is read from /proc; once it exits and is
     * reaped its whole CPU lands in our cutime/cstime, together with perf script runs, and its
     * sampler's countCpu() then takes back what was counted of it while it ran. A perf reaped
     * between the two reads is taken back before its CPU shows in cutime: that shortfall is
     * carried into the next window, not lost.
     */
    private long perfCpuSinceLastWindow(Sampler finished) {
        long reaped = ProcCpu.reapedChildrenNanos();
        long total = reaped - lastReapedCpu + perfCpuCarry;
        lastReapedCpu = reaped;
        if (lastFinished != null) total += lastFinished.countCpu();
        if (finished != null) total += finished.countCpu();
        if (session != null) total += session.countCpu();
        lastFinished = finished;
        perfCpuCarry = Math.min(0, total);
        return Math.max(0, total);
    }

    private ProfileFile finish(Sampler s, long windowStartMillis) throws InterruptedException {
        s.awaitIdle(IN_FLIGHT_WAIT_MS);
        try {
            return s.finish();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot render the " + s.engine() + " profile of window " + windowStartMillis
                    + ": " + e.getMessage());
            return ProfileFile.EMPTY;
        }
    }

    /** Closes the last window and sends what is pending, within a few seconds; for shutdown. */
    @Override
    public void close() {
        policyThread.shutdownNow();
        slowCallThread.interrupt();
        windowThread.shutdown();
        try {
            if (!windowThread.awaitTermination(5, TimeUnit.SECONDS)) windowThread.shutdownNow();
            if (config.enabled()) {
                closeWindow(policy, false);
                outbox.flushNow(client);
                if (outbox.pending() == 0) Files.deleteIfExists(config.spoolDir());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "spool directory kept: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
