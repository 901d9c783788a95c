package dev.perfaas.hook;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The policy thread: fetches the policy every refresh period. A policy outlives a controller
 * that stopped answering by {@link #POLICY_LIFETIME_REFRESHES} refresh periods; then tracing
 * stops until it answers again.
 */
final class PolicyPoller {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final int POLICY_LIFETIME_REFRESHES = 3;

    private final ControllerClient client;
    private final Consumer<Policy> publish;
    private final Runnable onChange;
    private final ScheduledExecutorService thread;
    // Policy thread only.
    /** The policy last published: the one in force, as only this poller sets it. */
    private Policy last = Policy.OFF;

    private long expiresAtNanos;

    PolicyPoller(ControllerClient client, Consumer<Policy> publish, Runnable onChange, ThreadFactory threads) {
        this.client = client;
        this.publish = publish;
        this.onChange = onChange;
        this.thread = Executors.newSingleThreadScheduledExecutor(threads);
    }

    void start() {
        thread.execute(this::refresh);
    }

    void stop() {
        thread.shutdownNow();
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
        int next = last.refreshSeconds();
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
            next = p.refreshSeconds();
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
            thread.schedule(this::refresh, next, TimeUnit.SECONDS);
        }
    }
}
