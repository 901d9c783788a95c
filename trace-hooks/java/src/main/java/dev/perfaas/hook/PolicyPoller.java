package dev.perfaas.hook;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The policy thread: fetches the policy every refresh period. A policy outlives a controller
 * that stopped answering by {@link #POLICY_LIFETIME_REFRESHES} refresh periods; then tracing
 * stops until it answers again. A hook no invocation reached since the last fetch fetches every
 * {@link #IDLE_REFRESHES} periods instead, until the next invocation begins, which has the policy
 * fetched at once: an idle function's polls were most of what it paid at rest (BENCHMARKS.md,
 * section 9), and it needs no fresh policy while nothing runs.
 */
final class PolicyPoller {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int POLICY_LIFETIME_REFRESHES = 3;
    static final int IDLE_REFRESHES = 30;
    /** {@link #activity}: an invocation began since the last fetch. */
    private static final int BUSY = 0;
    /** None yet since the last fetch. */
    private static final int WATCHING = 1;
    /** None for a whole period: the next fetch is {@link #IDLE_REFRESHES} periods off. */
    private static final int IDLE = 2;

    private final ControllerClient client;
    private final Consumer<Policy> publish;
    private final Runnable onChange;
    private final ScheduledExecutorService thread;
    private final AtomicInteger activity = new AtomicInteger(BUSY);
    private final TaskChain fetches;
    // Policy thread only.
    /** The policy last published: the one in force, as only this poller sets it. */
    private Policy last = Policy.OFF;

    private long expiresAtNanos;

    PolicyPoller(ControllerClient client, Consumer<Policy> publish, Runnable onChange, ThreadFactory threads) {
        this.client = client;
        this.publish = publish;
        this.onChange = onChange;
        this.thread = Executors.newSingleThreadScheduledExecutor(threads);
        this.fetches = new TaskChain(thread, this::refresh);
    }

    void start() {
        thread.execute(this::refresh);
    }

    void stop() {
        thread.shutdownNow();
    }

    /** On the request path: a volatile read, and a wake only for the first invocation after an idle fetch. */
    void invocationStarted() {
        if (activity.get() != BUSY && activity.getAndSet(BUSY) == IDLE) {
            fetches.runNow();
        }
    }

    /** A policy the controller has not confirmed in time; {@link Policy#OFF} never expires. */
    static boolean expired(Policy p, long expiresAtNanos, long nowNanos) {
        return p != Policy.OFF && nowNanos - expiresAtNanos > 0;
    }

    private void publish(Policy p) {
        last = p;
        publish.accept(p);
    }

    private void refresh() {
        int seconds = last.refreshSeconds();
        try {
            Policy p = client.fetchPolicy();
            expiresAtNanos =
                    System.nanoTime() + TimeUnit.SECONDS.toNanos((long) p.refreshSeconds() * POLICY_LIFETIME_REFRESHES);
            boolean changed = !p.equals(last);
            publish(p);
            if (changed) {
                LOG.log(System.Logger.Level.DEBUG, "policy " + p);
                onChange.run();
            }
            seconds = p.refreshSeconds();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            if (expired(last, expiresAtNanos, System.nanoTime())) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "policy expired and the controller does not answer (" + e + "): tracing stops until it does");
                publish(Policy.OFF);
            }
        }
        if (!thread.isShutdown()) {
            // WATCHING to IDLE: nothing began since the last fetch; else watch the next period.
            long delay = activity.compareAndSet(WATCHING, IDLE) ? (long) seconds * IDLE_REFRESHES : seconds;
            activity.compareAndSet(BUSY, WATCHING);
            fetches.runAfter(delay, TimeUnit.SECONDS);
        }
    }
}
