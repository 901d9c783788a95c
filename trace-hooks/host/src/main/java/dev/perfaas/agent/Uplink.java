package dev.perfaas.agent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What waits for the controller, sent from one thread of its own so sampling never waits on the
 * network: a refusal for good (4xx) is dropped with a log line, anything else (408, 429, 5xx, no
 * answer) is sent again after 1 s, doubling to 30 s. Bounded as the hook's outbox: the oldest item
 * goes when it is full.
 */
final class Uplink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas-agent");
    static final int MAX_WAITING = 1_000;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /** One request; {@code close} runs once it is sent or dropped (a profile's file is removed then). */
    interface Send {
        void send() throws IOException, InterruptedException;

        default void close() {}
    }

    private final Deque<Send> waiting = new ArrayDeque<>();
    private final Thread thread = new Thread(this::run, "perfaas-agent-uplink");

    Uplink() {
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void add(Send send) {
        if (waiting.size() >= MAX_WAITING) {
            Send dropped = waiting.removeFirst();
            dropped.close();
            LOG.log(System.Logger.Level.WARNING, "controller unreachable: dropped the oldest item waiting");
        }
        waiting.addLast(send);
        notifyAll();
    }

    private void run() {
        long backoff = FIRST_RETRY_MILLIS;
        try {
            while (true) {
                Send next;
                synchronized (this) {
                    while (waiting.isEmpty()) {
                        wait();
                    }
                    next = waiting.peekFirst();
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
                    if (waiting.peekFirst() == next) {
                        waiting.removeFirst();
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
