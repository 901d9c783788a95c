package dev.perfaas.controller.pyroscope;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes the queued profiles one at a time, oldest first, on a thread of its own: the upload path
 * only adds to the {@link PushQueue}. A profile is encoded when its turn comes, dropped (and counted)
 * when older than Pyroscope accepts, and retried after 429, a 5xx, a timeout or a failed connection,
 * waiting 1 s, then twice as long each time up to the most backoff, for as long as it is young enough;
 * any other answer drops it, counted by reason. Its sample ID is derived from its path, so a retry
 * sends the same request.
 */
final class Pusher implements AutoCloseable {

    record Settings(Duration rejectOlderThan, String namespace, Duration maxBackoff) {}

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final PushQueue queue;
    private final PprofSource source;
    private final PushClient client;
    private final SeriesBudget budget;
    private final Settings settings;
    private final Clock clock;
    private final AtomicLong pushed = new AtomicLong();
    private final Map<PushRefusal, AtomicLong> refused = new EnumMap<>(PushRefusal.class);
    private final Thread thread;

    Pusher(
            PushQueue queue,
            PprofSource source,
            PushClient client,
            SeriesBudget budget,
            Settings settings,
            Clock clock) {
        this.queue = queue;
        this.source = source;
        this.client = client;
        this.budget = budget;
        this.settings = settings;
        this.clock = clock;
        for (PushRefusal r : PushRefusal.values()) {
            refused.put(r, new AtomicLong());
        }
        thread = new Thread(this::run, "pyroscope-push");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** From the upload path: queues a stored profile, never throws, never waits on Pyroscope. */
    void enqueue(String path, String function, String instance) {
        try {
            PushQueue.Entry dropped = queue.add(path, function, instance);
            if (dropped != null) {
                refuse(dropped, PushRefusal.QUEUE_FULL, "the queue holds perfaas.pyroscope.queue-limit profiles");
            }
        } catch (IOException | RuntimeException e) {
            refused.get(PushRefusal.NOT_QUEUED).incrementAndGet();
            Log.warnf("%s will not be pushed to Pyroscope: its queue entry could not be written: %s", path, e);
        }
    }

    long pushed() {
        return pushed.get();
    }

    long refused(PushRefusal reason) {
        return refused.get(reason).get();
    }

    int queued() {
        return queue.size();
    }

    /** Stops pushing; what waits stays on disk for the next start. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }

    private void run() {
        try {
            while (true) {
                PushQueue.Entry entry = queue.take();
                try {
                    deliver(entry);
                } catch (InterruptedException stop) {
                    queue.putBack(entry);
                    return;
                }
                try {
                    queue.done(entry);
                } catch (IOException e) {
                    Log.warnf(
                            "cannot delete the push queue entry of %s (it may be pushed again after a restart): %s",
                            entry.path(), e);
                }
            }
        } catch (InterruptedException stop) {
            // stopping while nothing is queued
        } catch (RuntimeException e) {
            Log.errorf(e, "pushing to Pyroscope stopped; queued profiles wait for the next start");
        }
    }

    /** Pushes one profile, or drops it; returns when it is one or the other. */
    private void deliver(PushQueue.Entry entry) throws InterruptedException {
        PprofSource.Pushable pprof;
        List<Label> labels;
        try {
            pprof = encode(entry, true);
            labels = PushLabels.of(entry.function(), settings.namespace(), pprof, entry.instance());
            if (!budget.fits(PushLabels.key(labels), pprof.series(), clock.millis())) {
                pprof = encode(entry, false);
                labels = PushLabels.of(entry.function(), settings.namespace(), pprof, null);
            }
        } catch (NoSuchFileException e) {
            refuse(entry, PushRefusal.GONE, "it was deleted before its turn");
            return;
        } catch (IOException | RuntimeException e) {
            refuse(entry, PushRefusal.UNENCODABLE, e.toString());
            return;
        }
        String id = UUID.nameUUIDFromBytes(entry.path().getBytes(StandardCharsets.UTF_8))
                .toString();
        byte[] request = PushRequestWire.encode(labels, pprof.pprof(), id);
        Duration backoff = FIRST_BACKOFF.compareTo(settings.maxBackoff()) < 0 ? FIRST_BACKOFF : settings.maxBackoff();
        for (int attempt = 1; ; attempt++) {
            if (tooOld(pprof.timeNanos(), clock.millis())) {
                refuse(
                        entry,
                        PushRefusal.TOO_OLD,
                        "older than perfaas.pyroscope.reject-older-than (" + settings.rejectOlderThan() + ")");
                return;
            }
            PushClient.Answer answer = client.push(request);
            switch (answer.outcome()) {
                case PUSHED -> {
                    budget.pushed(PushLabels.key(labels), pprof.series(), clock.millis());
                    pushed.incrementAndGet();
                    if (attempt > 1) {
                        Log.infof("Pyroscope took %s after %d attempts", entry.path(), attempt);
                    }
                    return;
                }
                case REFUSED -> {
                    refuse(entry, answer.refusal(), "Pyroscope answered " + answer.detail());
                    return;
                }
                case RETRY -> {
                    if (attempt == 1) {
                        Log.warnf(
                                "pushing %s to %s failed, retrying: %s",
                                entry.path(), client.endpoint(), answer.detail());
                    } else {
                        Log.debugf("attempt %d at pushing %s failed: %s", attempt, entry.path(), answer.detail());
                    }
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2);
                    if (backoff.compareTo(settings.maxBackoff()) > 0) {
                        backoff = settings.maxBackoff();
                    }
                }
            }
        }
    }

    /** Waits while every profile read slot is taken. */
    private PprofSource.Pushable encode(PushQueue.Entry entry, boolean withInstance)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return source.encode(entry.path(), withInstance);
            } catch (PprofSource.Busy busy) {
                Thread.sleep(FIRST_BACKOFF.toMillis());
            }
        }
    }

    private boolean tooOld(long timeNanos, long nowMillis) {
        long limit = settings.rejectOlderThan().toMillis();
        // Pyroscope takes a time of 0 as the time it receives the profile.
        return limit > 0 && timeNanos > 0 && timeNanos / 1_000_000 <= nowMillis - limit;
    }

    private void refuse(PushQueue.Entry entry, PushRefusal reason, String why) {
        refused.get(reason).incrementAndGet();
        Log.warnf("%s is not pushed to Pyroscope (%s): %s", entry.path(), reason.label(), why);
    }
}
