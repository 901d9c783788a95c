package dev.perfaas.agent;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A steady request rate on one thread: the next request is due an interval after the last one was
 * due, and a late request is not made up with a burst. A function under it uses the same CPU per
 * second whatever the other processes on the machine do, which a closed loop (as fast as answers
 * come) would not: the agent's CPU would then slow the function it measures.
 */
final class PacedLoad implements AutoCloseable {
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    PacedLoad(URI target, double perSecond) {
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        thread = new Thread(
                () -> {
                    long next = System.nanoTime();
                    while (running.get()) {
                        try {
                            if (Http.get(target).statusCode() == 200) {
                                ok.increment();
                            } else {
                                failed.increment();
                            }
                        } catch (IOException e) {
                            failed.increment();
                        } catch (InterruptedException e) {
                            return;
                        }
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait < -interval) {
                            next = System.nanoTime(); // far behind: no burst to catch up
                        } else if (wait > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                },
                "paced-load-" + target.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(35_000);
    }
}
