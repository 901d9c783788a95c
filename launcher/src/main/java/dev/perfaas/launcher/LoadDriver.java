package dev.perfaas.launcher;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Closed-loop load: each thread sends the next request when the last one answered. */
public final class LoadDriver implements AutoCloseable {
    public final LongAdder ok = new LongAdder();
    public final LongAdder failed = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public LoadDriver(URI target, int concurrency) {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).GET().build();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        int status = Http.CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status == 200 ? ok : failed).increment();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            }, "load-" + target.getPort() + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(35_000);
    }
}
