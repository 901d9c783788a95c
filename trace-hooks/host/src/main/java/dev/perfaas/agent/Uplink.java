package dev.perfaas.agent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What waits for the controller, sent from one thread of its own so sampling never waits on the
 * network: a refusal for good (4xx) is dropped with a log line, anything else (408, 429, 5xx, no
 * answer) is sent again after 1 s, doubling to 30 s. Reports go before profiles (a profile refused
 * for a while must not hold back the figures the control loop runs on). Bounded as the hook's
 * outbox: the oldest of a kind goes when its queue is full.
 */
final class Uplink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas-agent");
    static final int MAX_REPORTS = 1_000;
    static final int MAX_PROFILES = 32;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /** One request; {@code close} runs once it is sent or dropped (a profile's file is removed then). */
    interface Send {
        void send() throws IOException, InterruptedException;

        default void close() {}
    }

    private final Deque<Send> reports = new ArrayDeque<>();
    private final Deque<Send> profiles = new ArrayDeque<>();
    private final Thread thread = new Thread(this::run, "perfaas-agent-uplink");

    Uplink() {
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void addReport(Send send) {
        add(reports, MAX_REPORTS, send, "report");
    }

    synchronized void addProfile(Send send) {
        add(profiles, MAX_PROFILES, send, "profile");
    }

    private void add(Deque<Send> queue, int max, Send send, String kind) {
        if (queue.size() >= max) {
            queue.removeFirst().close();
            LOG.log(System.Logger.Level.WARNING, "controller unreachable: dropped the oldest " + kind + " waiting");
        }
        queue.addLast(send);
        notifyAll();
    }

    private void run() {
        long backoff = FIRST_RETRY_MILLIS;
        try {
            while (true) {
                Send next;
                Deque<Send> queue;
                synchronized (this) {
                    while (reports.isEmpty() && profiles.isEmpty()) {
                        wait();
                    }
                    queue = reports.isEmpty() ? profiles : reports;
                    next = queue.peekFirst();
                }
                try {
                    next.send();
                } catch (ControllerApi.Rejected e) {
                    LOG.log(System.Logger.Level.WARNING, "dropped: " + e.getMessage());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.INFO, "will retry in " + backoff + " ms: " + e.getMessage());
                    TimeUnit.MILLISECONDS.sleep(backoff);
                    backoff = Math.min(MAX_RETRY_MILLIS, backoff * 2);
                    continue;
                }
                backoff = FIRST_RETRY_MILLIS;
                synchronized (this) {
                    if (queue.peekFirst() == next) {
                        queue.removeFirst();
                    }
                }
                next.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
