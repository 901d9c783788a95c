package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The window thread: every second it starts sampling when the policy wants it and closes the
 * window when due, replacing the {@link TraceHook}'s window and sampler, which the request path
 * reads; a closed window's report and profile go to the outbox, which it also flushes. With no
 * sampler to run (parked, or none wanted) and nothing to send, it sleeps until the window is due,
 * and whatever needs it sooner wakes it ({@link #wake}): a tick a second was most of what an idle
 * function paid for its hook (BENCHMARKS.md, section 9).
 */
final class WindowCloser {
    private static final System.Logger LOG = System.getLogger("perfaas");
    /**
     * A new instance's first window ends this long after its first invocation, so a new function
     * shows figures and a profile within half a minute instead of a whole window (60 s by default)
     * and a control step later. 10 s: the control period, so the loop, which looks every period,
     * takes the report within 10 s more; the controller's rates do not depend on the window's length.
     */
    static final int FIRST_WINDOW_SECONDS = 10;
    /**
     * An in-process engine that traced nothing this long is stopped until an invocation is drawn to
     * be traced again ({@link #parks}): an idle function pays no sampling timer.
     */
    static final int PARK_AFTER_SECONDS = 10;
    /**
     * The hook's threads start this long after the hook if no invocation has begun by then (an
     * instance nobody calls still reports). Long, because a first request that begins after it meets
     * the engine's load: at 1 s, on a machine loaded twenty times over, it did in most cold starts
     * (BENCHMARKS.md, section 9); the first request of a cold start follows readiness at once.
     */
    static final long STARTUP_GRACE_MILLIS = 5_000;
    /** The hook's threads start this long after the first invocation ended, unless the runtime said its answer is out sooner. */
    static final long AFTER_FIRST_MILLIS = 200;
    /** The tick's period while anything runs or waits. */
    static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TraceHook hook;
    private final ControllerClient client;
    private final ScheduledThreadPoolExecutor thread;
    private final MemoryGauges memoryGauges = MemoryGauges.find();
    private final WindowCpu cpu;
    private final ProfileCutter cutter = new ProfileCutter();
    /** The window thread sleeps until its window is due: the next {@link #wake} ticks at once. */
    private volatile boolean asleep;

    private final TaskChain ticks;
    // Window thread only.
    private Runnable others;
    private boolean started;
    /** The in-process engine was stopped for want of traced invocations ({@link #parks}). */
    private boolean parked;
    /** The sampler last looked at by {@link #parks}, its traced time then, and since when that has not grown. */
    private Sampler quietSampler;

    private double quietTraced;
    private long quietSinceNanos;

    /** Works on {@code hook}'s window and sampler, with its engines, outbox and CPU account. */
    WindowCloser(TraceHook hook, ControllerClient client, ThreadFactory threads) {
        this.hook = hook;
        this.client = client;
        this.cpu = new WindowCpu(hook.hookCpu);
        this.thread = new ScheduledThreadPoolExecutor(1, threads);
        // A hook closed before its start-up ran drops it, instead of starting threads on the way out.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.ticks = new TaskChain(thread, this::tick);
    }

    /**
     * Starts the hook's background work ({@code others}: the policy and slow-call threads; then this
     * thread's engine load and ticks) once the process's first invocation has ended
     * ({@link #firstInvocationEnded}), or {@link #STARTUP_GRACE_MILLIS} from now if none has begun by
     * then: nothing of it competes with a cold invocation, however slow the machine.
     */
    void start(Runnable others) {
        this.others = others;
        thread.schedule(
                () -> {
                    if (!hook.coldStart.claimed()) { // else the first invocation runs: its end starts them
                        startUp();
                    }
                },
                STARTUP_GRACE_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Called once, on the request path, as the process's first invocation ends (before the runtime
     * writes its answer): a queued task, no wait, that starts {@link #AFTER_FIRST_MILLIS} later so
     * the answer is written first, for a runtime that does not say when it is ({@link #firstAnswered}).
     */
    void firstInvocationEnded() {
        wake(); // started already (no invocation in the grace time) and asleep: its first window ends sooner
        try {
            thread.schedule(this::startUp, AFTER_FIRST_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed already: nothing to start
        }
    }

    /** Called once, on the request path, once the first answer is written: a queued task, no wait. */
    void firstAnswered() {
        try {
            thread.execute(this::startUp);
        } catch (RejectedExecutionException e) {
            // closed already: nothing to start
        }
    }

    private void startUp() {
        if (started) {
            return;
        }
        started = true;
        others.run();
        loadEngine();
        tick();
    }

    /**
     * Has the window thread tick now if it sleeps: an invocation drawn to be traced found no
     * sampler, the policy changed, or something waits to be sent. A volatile read when it is awake.
     */
    void wake() {
        if (asleep) {
            asleep = false;
            ticks.runNow();
        }
    }

    /**
     * Loads the engine before it is asked for (async-profiler: ~100 ms of CPU to extract and load
     * its library, once), after the cold start; its cost is reported apart ({@link WindowCpu#load}).
     * Meanwhile invocations run untraced.
     */
    private void loadEngine() {
        long delay = hook.config.testEngineDelayMillis();
        if (delay > 0) {
            LOG.log(System.Logger.Level.INFO, "PERFAAS_TEST_ENGINE_DELAY_MS: the engine loads " + delay + " ms late");
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        cpu.load(hook.engines::load);
        if (delay > 0) {
            LOG.log(System.Logger.Level.INFO, "PERFAAS_TEST_ENGINE_DELAY_MS: the engine's load is done");
        }
    }

    private void tick() {
        try {
            Policy p = hook.policy();
            Sampler s = hook.session;
            long now = System.nanoTime();
            long windowStart = hook.window.startNanos;
            boolean windowDue =
                    due(now - windowStart, p.windowSeconds(), hook.coldStart.firstInvocationAge(windowStart, now));
            if (parked && hook.owed) {
                parked = false; // an invocation drawn to be traced found the engine parked: it starts again
            }
            boolean wanted = wanted(p) && !parked;
            boolean stale = s != null && !fits(s, p);
            // An engine that broke (perf killed, or stuck) is replaced now, not a window later.
            boolean broken = s != null && !s.usable();
            cpu.tick(now);
            if (s != null && parks(s, now)) {
                cpu.closeStarts(now);
                closeWindow(p, false);
                parked = true;
            } else if (windowDue || stale || broken) {
                cpu.closeStarts(now);
                closeWindow(p, wanted);
            } else if (s == null && wanted) {
                hook.session = hook.engines.start(hook.engines.asked(p), p.frequencyHz(), null);
            }
            hook.outbox.flush(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "perfaas window task failed; the function is unaffected", e);
        }
        scheduleNextTick();
    }

    /**
     * One chain of ticks: a second away, or at the window's end while nothing runs or waits. Asleep
     * is set before the last look at {@link TraceHook#owed}, which the request path sets before it
     * looks at asleep ({@link #wake}): one of the two sees the other.
     */
    private void scheduleNextTick() {
        long delay = TICK_NANOS;
        try {
            Policy p = hook.policy();
            if (hook.session == null && (parked || !wanted(p)) && hook.outbox.pending() == 0 && !cpu.jitSpanOpen()) {
                asleep = true;
                long now = System.nanoTime();
                long windowStart = hook.window.startNanos;
                delay = hook.owed
                        ? TICK_NANOS
                        : untilDue(
                                now - windowStart,
                                p.windowSeconds(),
                                hook.coldStart.firstInvocationAge(windowStart, now));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "perfaas window task failed; the function is unaffected", e);
        }
        if (delay == TICK_NANOS) {
            asleep = false;
        }
        ticks.runAfter(delay, TimeUnit.NANOSECONDS);
    }

    /** How long until a window {@code ageNanos} old is {@link #due}, and at least a tick. */
    static long untilDue(long ageNanos, int windowSeconds, long firstInvocationAgeNanos) {
        long left = TimeUnit.SECONDS.toNanos(windowSeconds) - ageNanos;
        if (firstInvocationAgeNanos >= 0) {
            left = Math.min(left, TimeUnit.SECONDS.toNanos(FIRST_WINDOW_SECONDS) - firstInvocationAgeNanos);
        }
        return Math.max(left, TICK_NANOS);
    }

    /**
     * Whether a window {@code ageNanos} old closes: after the policy's {@code windowSeconds}, or
     * {@link #FIRST_WINDOW_SECONDS} after the process's first invocation began in it
     * ({@code firstInvocationAgeNanos}, -1 when it did not), whichever comes first.
     */
    static boolean due(long ageNanos, int windowSeconds, long firstInvocationAgeNanos) {
        return ageNanos >= TimeUnit.SECONDS.toNanos(windowSeconds)
                || firstInvocationAgeNanos >= TimeUnit.SECONDS.toNanos(FIRST_WINDOW_SECONDS);
    }

    /**
     * Whether the running sampler is parked: an in-process engine (its timer wakes at the frequency
     * and walks the JVM's threads whether or not anything is traced) that traced nothing for
     * {@link #PARK_AFTER_SECONDS}, with no invocation running. perf costs nothing while its events
     * are off, so it stays. Its profile is cut with the window, and the next invocation drawn to be
     * traced starts it again ({@link TraceHook#owed}).
     */
    private boolean parks(Sampler s, long now) {
        double traced = s.expectedSamples();
        if (s != quietSampler || traced != quietTraced) {
            quietSampler = s;
            quietTraced = traced;
            quietSinceNanos = now;
            return false;
        }
        return !s.engine().equals(Engines.PERF)
                && hook.inFlight.get() == 0
                && now - quietSinceNanos >= TimeUnit.SECONDS.toNanos(PARK_AFTER_SECONDS);
    }

    /** The policy asks for sampling and some engine has not been refused. */
    private boolean wanted(Policy p) {
        return p.samples() && hook.engines.choice(hook.engines.asked(p)) != null;
    }

    /** A running sampler serves the policy as it is: sampling wanted, same frequency, the engine it would pick. */
    private boolean fits(Sampler s, Policy p) {
        return wanted(p)
                && s.frequencyHz() == p.frequencyHz()
                && s.engine().equals(hook.engines.choice(hook.engines.asked(p)));
    }

    /**
     * Ends the current window: the next sampler starts as the old one stops (a perf that still
     * serves goes on, its output rotated; a new perf starts before the old one stops, so sampling
     * has no gap); the old one is rendered and sent with the window's report.
     */
    private void closeWindow(Policy p, boolean startNext) throws InterruptedException {
        Window old = hook.window;
        Window next = new Window();
        next.noteInFlight(hook.inFlight.get()); // invocations running on into the new window count in its max
        hook.window = next;
        long endMillis = System.currentTimeMillis();
        Sampler finished = hook.session;
        // The same sampler may go on into the next window: its samples then wait for a later
        // profile, and the report says so, so that the controller does not read this window as sampleless.
        boolean samplesPending = startNext && finished != null && fits(finished, p) && cutter.carries(finished);
        if (samplesPending) {
            finished = null;
        } else {
            cutter.restart();
            hook.session = startNext ? hook.engines.start(hook.engines.asked(p), p.frequencyHz(), finished) : null;
        }

        // CPU of the window just closed; perf script below runs in the next one and counts there.
        WindowCpu.Since used = cpu.sinceLastWindow(finished, hook.session);

        ProfileFile profile = finished == null ? ProfileFile.EMPTY : cutter.cut(finished, old.startMillis);
        long profileStartMillis =
                finished == null || finished.firstTracedMillis() == 0 ? old.startMillis : finished.firstTracedMillis();
        Sampler running = finished != null ? finished : hook.session;
        String engine = running != null
                ? running.engine()
                : p.samples() && hook.engines.choice(hook.engines.asked(p)) == null ? "unavailable" : "off";
        Window.Closing closing = new Window.Closing(
                hook.config.function(),
                hook.config.instance(),
                endMillis,
                p,
                engine,
                hook.engines.refused(),
                used.engineLoadNanos(),
                used.processNanos(),
                used.hookNanos(),
                used.perfNanos(),
                profile.samples(),
                profile.samplesInTraced(),
                samplesPending,
                memoryGauges.read());
        if (profile.file() != null) {
            hook.outbox.add(new Outbox.Profile(
                    profile.file(),
                    profileStartMillis,
                    finished.engine(),
                    finished.frequencyHz(),
                    JfrScript.realtimeMinusMonotonicNanos()));
        }
        hook.outbox.add(old.toReportJson(closing));
    }

    /** Stops the window thread, then closes the last window and sends what is pending, within a few seconds. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
                client.abort(); // an upload under way fails and stays in the outbox, sent below
                thread.awaitTermination(1, TimeUnit.SECONDS);
            }
            if (hook.config.enabled()) {
                closeWindow(hook.policy(), false);
                hook.outbox.flushNow(client);
                if (hook.outbox.pending() == 0) {
                    Files.deleteIfExists(hook.config.spoolDir());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "spool directory kept: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
