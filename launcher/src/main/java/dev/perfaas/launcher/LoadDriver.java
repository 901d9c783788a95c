package dev.perfaas.launcher;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: each thread sends the next request when the last one answered. Latencies of
 * answered requests are kept per thread and merged after {@link #close()}.
 */
public final class LoadDriver implements AutoCloseable {
    public final LongAdder ok = new LongAdder();
    public final LongAdder failed = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<long[]> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LoadDriver(URI target, int concurrency) {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(
                    () -> {
                        long[] mine = new long[1024];
                        int n = 0;
                        try {
                            while (running.get()) {
                                long start = System.nanoTime();
                                try {
                                    int status = Http.CLIENT
                                            .send(request, HttpResponse.BodyHandlers.discarding())
                                            .statusCode();
                                    if (status != 200) {
                                        failed.increment();
                                        continue;
                                    }
                                    ok.increment();
                                    if (n == mine.length) {
                                        mine = java.util.Arrays.copyOf(mine, n * 2);
                                    }
                                    mine[n++] = System.nanoTime() - start;
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    failed.increment();
                                }
                            }
                        } finally {
                            latencies.add(java.util.Arrays.copyOf(mine, n));
                        }
                    },
                    "load-" + target.getPort() + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Sorted latencies of the answered requests, in ns; complete once {@link #close()} returned. */
    public long[] latenciesNanos() {
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        java.util.Arrays.sort(all);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
