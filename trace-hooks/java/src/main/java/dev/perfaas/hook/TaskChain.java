package dev.perfaas.hook;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task that schedules its own next run on one thread and can be woken to run at once: one chain of
 * runs, never two. A wake cancels the scheduled run and queues one now; each run cancels whatever
 * run is still scheduled as it schedules the next. Once the thread is shut down, nothing more runs.
 */
final class TaskChain {
    private final ScheduledExecutorService thread;
    private final Runnable task;
    /** The next run, replaced by each run; cancelled by a wake. */
    private volatile ScheduledFuture<?> next;

    TaskChain(ScheduledExecutorService thread, Runnable task) {
        this.thread = thread;
        this.task = task;
    }

    /** Any thread: runs the task now on its thread, in place of the scheduled run. */
    void runNow() {
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // shut down: nothing more runs
        }
    }

    /** From the task: its next run in {@code delay}, replacing any other still scheduled. */
    void runAfter(long delay, TimeUnit unit) {
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false); // a woken run came before it
        }
        try {
            next = thread.schedule(task, delay, unit);
        } catch (RejectedExecutionException e) {
            // shut down meanwhile
        }
    }
}
