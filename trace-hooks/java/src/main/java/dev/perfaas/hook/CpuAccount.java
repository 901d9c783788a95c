package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * CPU used by the hook's own threads (policy refresh, window closing, perf ack drainers) and by
 * the native threads an in-process engine starts (async-profiler's timer and writer, JFR's), so
 * the tracer's cost can be told apart from the function's. A thread's CPU is readable only while
 * it lives, so the last value seen of each is kept, and banked once the thread is gone; a thread
 * that ends on purpose banks its exact total on the way out. The total never goes backwards.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Thread, Long> lastSeen = new ConcurrentHashMap<>();
    /** Native threads by kernel thread id, read from /proc. */
    private final Map<Long, Long> nativeLastSeen = new ConcurrentHashMap<>();

    /** The longest {@link #registerNativeSince} looks for an engine's threads to name themselves. */
    static final long NAMING_WAIT_MILLIS = 100;

    private long banked; // guarded by this

    /** A daemon thread whose CPU counts as the hook's (policy, window, slow calls, perf acks). */
    Thread newThread(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        lastSeen.put(t, 0L);
        return t;
    }

    /**
     * Counts the engine's own threads, such as async-profiler's timer: those named {@code prefix}
     * that appeared since {@code before} (a {@link ProcCpu#threadIds()} taken just before the engine
     * started). By name too, as the function's threads (request threads, GC and compiler threads the
     * JVM adds under load) start at any time, an engine's start included: one such counted as the
     * hook's once made the report take the whole function's CPU for tracer cost. A thread the engine
     * leaves unnamed keeps the name of the hook thread that started it (async-profiler starts one
     * beside its timer), and counts too. A new thread names itself as it starts, so they are looked for until one is
     * found, for {@link #NAMING_WAIT_MILLIS} at most (on the hook's thread, not the request path).
     */
    void registerNativeSince(Set<Long> before, String prefix) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NAMING_WAIT_MILLIS);
        String starter = ProcCpu.currentThreadName();
        while (true) {
            boolean found = false;
            for (long tid : ProcCpu.threadIdsNamed(prefix, starter)) {
                if (!before.contains(tid)) {
                    nativeLastSeen.putIfAbsent(tid, 0L);
                    found = true;
                }
            }
            if (found || System.nanoTime() - deadline > 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Called by a registered thread as it ends. */
    synchronized void retire(Thread self) {
        if (lastSeen.remove(self) != null) {
            banked += Math.max(0, THREADS.getCurrentThreadCpuTime());
        }
    }

    synchronized long totalNanos() {
        long live = sweep(lastSeen, t -> t.isAlive() ? THREADS.getThreadCpuTime(t.getId()) : -1)
                + sweep(nativeLastSeen, ProcCpu::threadRunNanos);
        return banked + live; // after the sweeps, which bank the threads that ended
    }

    /** Sum of the threads' CPU now (-1 read: gone, its last value is banked and it is dropped). */
    private <K> long sweep(Map<K, Long> threads, ToLongFunction<K> cpu) {
        long sum = 0;
        for (Map.Entry<K, Long> e : threads.entrySet()) {
            long now = cpu.applyAsLong(e.getKey());
            if (now < 0) {
                banked += e.getValue();
                threads.remove(e.getKey());
            } else {
                e.setValue(now);
                sum += now;
            }
        }
        return sum;
    }
}
