package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The window thread: every second it starts sampling when the policy wants it and closes the
 * window when due, replacing the {@link TraceHook}'s window and sampler, which the request path
 * reads; a closed window's report and profile go to the outbox, which it also flushes.
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

    private final TraceHook hook;
    private final ControllerClient client;
    private final ScheduledExecutorService thread;
    private final MemoryGauges memoryGauges = MemoryGauges.find();
    private final WindowCpu cpu;
    private final ProfileCutter cutter = new ProfileCutter();

    /** Works on {@code hook}'s window and sampler, with its engines, outbox and CPU account. */
    WindowCloser(TraceHook hook, ControllerClient client, ThreadFactory threads) {
        this.hook = hook;
        this.client = client;
        this.cpu = new WindowCpu(hook.hookCpu);
        this.thread = Executors.newSingleThreadScheduledExecutor(threads);
    }

    void start() {
        thread.execute(this::loadEngine);
        thread.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Loads the engine before it is asked for (async-profiler: ~100 ms of CPU to extract and load
     * its library, once), while the runtime starts; its cost is reported apart ({@link WindowCpu#load}).
     */
    private void loadEngine() {
        cpu.load(hook.engines::load);
    }

    private void tick() {
        try {
            Policy p = hook.policy();
            Sampler s = hook.session;
            long now = System.nanoTime();
            long windowStart = hook.window.startNanos;
            boolean windowDue =
                    due(now - windowStart, p.windowSeconds(), hook.coldStart.firstInvocationAge(windowStart, now));
            boolean wanted = wanted(p);
            boolean stale = s != null && !fits(s, p);
            // An engine that broke (perf killed, or stuck) is replaced now, not a window later.
            boolean broken = s != null && !s.usable();
            if (windowDue || stale || broken) {
                closeWindow(p, wanted);
            } else if (s == null && wanted) {
                hook.session = hook.engines.start(hook.engines.asked(p), p.frequencyHz(), null);
            }
            hook.outbox.flush(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "perfaas window task failed; the function is unaffected", e);
        }
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
