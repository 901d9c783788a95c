package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Refusal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What uploads may take of the controller: at most perfaas.max-uploads-in-flight at once, each for
 * at most perfaas.upload-timeout. At its deadline an upload's thread is interrupted, which ends a
 * read blocked on a silent client (RESTEasy's body stream waits on it) and fails the next write of
 * the temp file (an interruptible channel), so a slot is freed however the client behaves.
 */
@ApplicationScoped
public class UploadBudget {

    /** An upload takes well under a second: a hook retrying after this finds a slot. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final int maxInFlight;
    private final Duration timeout;
    private final Semaphore slots;
    private final ScheduledThreadPoolExecutor alarms;

    @Inject
    public UploadBudget(PerfaasConfig config) {
        this(config.maxUploadsInFlight(), config.uploadTimeout());
    }

    UploadBudget(int maxInFlight, Duration timeout) {
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
        if (maxInFlight <= 0) {
            throw new IllegalStateException("perfaas.max-uploads-in-flight must be positive, got " + maxInFlight);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException("perfaas.upload-timeout must be positive, got " + timeout);
        }
        slots = new Semaphore(maxInFlight);
        alarms = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "perfaas-upload-deadline");
            thread.setDaemon(true);
            return thread;
        });
        alarms.setRemoveOnCancelPolicy(true);
    }

    /** Takes a slot for the calling thread and starts its clock; 503 when every slot is taken. */
    Slot take() {
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable(
                    Refusal.UPLOADS_IN_FLIGHT,
                    maxInFlight + " uploads are in flight, the most taken at once (setting"
                            + " perfaas.max-uploads-in-flight): retry later",
                    RETRY_AFTER_SECONDS);
        }
        return new Slot();
    }

    @PreDestroy
    void stop() {
        alarms.shutdownNow();
    }

    /** One upload's slot; closing it frees the slot and leaves the thread without a pending interrupt. */
    final class Slot implements AutoCloseable {

        private final Thread thread = Thread.currentThread();
        private final ScheduledFuture<?> alarm;
        private boolean closed; // guarded by this
        private boolean expired; // guarded by this

        private Slot() {
            alarm = alarms.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void expire() {
            if (!closed) {
                expired = true;
                thread.interrupt();
            }
        }

        synchronized boolean expired() {
            return expired;
        }

        /** The 408 an upload that failed after its deadline gets, whatever the interrupt broke. */
        ApiException timedOut() {
            String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
            return ApiException.timeout("upload did not finish within " + limit + " (setting perfaas.upload-timeout)");
        }

        @Override
        public void close() {
            boolean interrupted;
            synchronized (this) {
                closed = true;
                interrupted = expired;
            }
            alarm.cancel(false);
            if (interrupted) {
                Thread.interrupted(); // the worker thread goes back to its pool
            }
            slots.release();
        }
    }
}
