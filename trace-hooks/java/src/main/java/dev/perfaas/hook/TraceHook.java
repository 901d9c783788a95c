package dev.perfaas.hook;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trace hook a function runtime calls around every invocation:
 * <pre>{@code
 * Invocation inv = hook.begin();
 * try { ... handle ... } finally { hook.end(inv, failed); }
 * }</pre>
 * The request path only draws a random number against the cached policy, bumps striped
 * counters and one count of invocations in flight, marks its start and end for the
 * {@link SlowCallWatcher} and, for a traced invocation, switches the sampling engine on and off for it
 * ({@link Engines}: async-profiler's thread filter, perf's control fifo, or JFR's intervals).
 * Everything else runs on the hook's own threads ({@link PolicyPoller}, {@link WindowCloser},
 * {@link SlowCallWatcher}), which start once the process's first invocation has ended (or a second
 * after the hook started, if none came), so nothing of theirs competes with the cold start; any
 * failure there leaves the function running untraced.
 */
public final class TraceHook implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas");
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    final HookConfig config;
    final CpuAccount hookCpu = new CpuAccount();
    /** Profiles and reports waiting for the controller. */
    final Outbox outbox = new Outbox();

    private final SlowCallWatcher slowCalls;
    private final Thread slowCallThread;
    private final ThreadLocal<Invocation> invocations = ThreadLocal.withInitial(this::newInvocation);
    private final RequestThreads requestThreads = new RequestThreads();
    final Engines engines;
    private final PolicyPoller policyPoller;
    private final WindowCloser windowCloser;
    final ColdStartClock coldStart = new ColdStartClock();
    /** Invocations between begin and end now, across windows. */
    final AtomicLong inFlight = new AtomicLong();

    private volatile Policy policy = Policy.OFF; // set by the policy poller only
    /** The request path's window and sampler: replaced by the window closer only. */
    volatile Window window = new Window();

    volatile Sampler session;

    /**
     * A traced draw found no sampler (the engine loading, or parked by the window thread while
     * nothing was traced): the window thread starts one, and the next invocation is traced instead.
     */
    volatile boolean owed;

    /** The runtime said it wrote an answer ({@link #answered}). */
    private volatile boolean answered;

    private TraceHook(HookConfig config) {
        this.config = config;
        ControllerClient client = new ControllerClient(config, hookCpu);
        this.engines = new Engines(config, hookCpu, requestThreads);
        this.slowCalls = new SlowCallWatcher(() -> policy, config.spoolDir(), c -> {
            outbox.add(c);
            wakeWindowThread();
        });
        this.slowCallThread = hookCpu.newThread(slowCalls, "perfaas-slow-calls");
        this.policyPoller = new PolicyPoller(
                client,
                p -> policy = p,
                () -> {
                    SlowCallWatcher.wake(slowCallThread);
                    wakeWindowThread();
                },
                r -> hookCpu.newThread(r, "perfaas-policy"));
        this.windowCloser = new WindowCloser(this, client, r -> hookCpu.newThread(r, "perfaas-window"));
    }

    /** A slow call waits to be sent, or the policy changed: the window thread looks now if it sleeps. */
    private void wakeWindowThread() {
        windowCloser.wake();
    }

    /** Starts a hook from the environment ({@link HookConfig}); never throws. */
    public static TraceHook fromEnvironment() {
        TraceHook hook = start(HookConfig.fromEnvironment());
        if (NodePerfMap.requested(System.getenv("PERFAAS_ENGINE"))) {
            NodePerfMap.start();
            LOG.log(
                    System.Logger.Level.INFO,
                    "PERFAAS_ENGINE=host-perf: the node agent profiles this JVM; the hook keeps its JIT perf map fresh");
        }
        return hook;
    }

    public static TraceHook start(HookConfig config) {
        TraceHook hook = new TraceHook(config);
        if (config.enabled()) {
            hook.windowCloser.start(() -> {
                hook.policyPoller.start();
                hook.slowCallThread.start();
            });
        } else {
            LOG.log(
                    System.Logger.Level.INFO,
                    "perfaas hook: no sampling, no reports (PERFAAS_DISABLED=true or PERFAAS_ENGINE=host-perf)");
        }
        return hook;
    }

    /**
     * Names the calling thread as one that runs invocations. When a runtime names its request
     * threads before tracing starts, perf samples just those, and toggles ~6x faster than on the
     * whole JVM; a thread named later is sampled from the next window on.
     */
    public void registerRequestThread() {
        requestThreads.addCurrent();
    }

    /**
     * Called by the runtime once it can serve (handler loaded, server listening): JVM start to here
     * is the instance's init time, reported with its cold start.
     */
    public void ready() {
        coldStart.ready();
    }

    /**
     * Called by the runtime once it has written an invocation's answer. The first call starts the
     * hook's threads and the engine's load at once, the cold answer being out; a runtime that never
     * calls it gets them {@link WindowCloser#AFTER_FIRST_MILLIS} after the first invocation's end.
     */
    public void answered() {
        if (!answered) {
            answered = true;
            if (config.enabled()) {
                windowCloser.firstAnswered();
            }
        }
    }

    private Invocation newInvocation() {
        Invocation inv = new Invocation(Thread.currentThread());
        return config.enabled() ? slowCalls.watch(inv) : inv; // disabled: no watcher thread looks
    }

    public Invocation begin() {
        return begin(null);
    }

    /** {@code callId}: the platform's id of the call (OpenFaaS' X-Call-Id), kept with its profile if it is slow. */
    public Invocation begin(String callId) {
        Invocation inv = invocations.get();
        if (inv.active) {
            inv = new Invocation(); // re-entered on the same thread: rare, allowed
        }
        inv.active = true;
        window.noteInFlight(inFlight.incrementAndGet());
        if (coldStart.claim()) {
            inv.cold = true;
        }
        double fraction = policy.tracedFraction();
        if (fraction > 0) {
            double r = ThreadLocalRandom.current().nextDouble();
            boolean drawn = r < fraction;
            if (drawn || owed) {
                // While no sampler runs, an owed invocation costs a volatile read, not a CPU-clock read (~1 us).
                Sampler s = session;
                long cpu = s == null ? 0 : THREADS.getCurrentThreadCpuTime(); // before the enter, a cost of tracing
                if (s != null && trace(inv, s)) {
                    inv.cpuStartNanos = cpu;
                    if (!drawn) {
                        owed = false; // traced in the place of a drawn one that found no engine
                    }
                } else if (drawn) {
                    // No engine samples yet (loading, or parked while idle): a later invocation is traced in
                    // its place, once the window thread has started one.
                    owed = true;
                    windowCloser.wake();
                }
            }
            if (inv.mode == Invocation.Mode.UNTRACED && !drawn && r < 2 * fraction) {
                // An untraced control group drawn at the same rate, or all the rest (at least
                // Policy.MIN_CONTROL_SHARE): its CPU, set against the traced invocations', tells
                // what tracing adds to an invocation.
                inv.mode = Invocation.Mode.CONTROL;
                inv.cpuStartNanos = THREADS.getCurrentThreadCpuTime();
            }
        }
        if (inv.mode != Invocation.Mode.UNTRACED || --inv.untilWeighed < 0) {
            inv.weighed = true;
            inv.untilWeighed = Invocation.MEMORY_SAMPLE_EVERY - 1;
            inv.allocStartBytes = THREADS.getCurrentThreadAllocatedBytes();
        }
        inv.callId = callId;
        inv.started(System.nanoTime());
        slowCalls.invocationStarted();
        policyPoller.invocationStarted();
        return inv;
    }

    /** Enters sampler {@code s}: the invocation is traced (true). */
    private static boolean trace(Invocation inv, Sampler s) {
        if (s.enter()) {
            inv.session = s;
            inv.mode = Invocation.Mode.TRACED;
            return true;
        }
        return false;
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
            if (inv.tag >= 0) {
                w.memoryPoints.offer(inv.tag, allocated);
            }
        }
        if (inv.mode == Invocation.Mode.TRACED) {
            inv.session.leave(inv.startNanos, end); // before the CPU is read: leaving is a cost of tracing
        }
        if (inv.mode != Invocation.Mode.UNTRACED) {
            long cpu = THREADS.getCurrentThreadCpuTime() - inv.cpuStartNanos;
            if (inv.mode == Invocation.Mode.TRACED) {
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
            w.coldStart = coldStart.measured(wall);
            if (config.enabled()) {
                windowCloser.firstInvocationEnded();
            }
        }
        w.wallNanos.add(wall);
        if (failed) {
            w.errors.increment();
        }
        inv.reset();
    }

    /** The policy in force; {@link Policy#OFF} until the controller answers. */
    public Policy policy() {
        return policy;
    }

    /** The engine sampling now ("async", "async-cpu", "perf", "jfr"), or null while none is. */
    public String engineRunning() {
        Sampler s = session;
        return s == null ? null : s.engine();
    }

    /** Why sampling engines were refused here, by engine name; empty while none was. */
    public Map<String, String> engineRefusals() {
        return engines.refused();
    }

    /** Closes the last window and sends what is pending, within a few seconds; for shutdown. */
    @Override
    public void close() {
        policyPoller.stop();
        slowCallThread.interrupt();
        windowCloser.close();
    }
}
