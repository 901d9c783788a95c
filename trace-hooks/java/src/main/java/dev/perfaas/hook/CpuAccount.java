package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private long banked; // guarded by this

    /** A daemon thread whose CPU counts as the hook's (policy, window, slow calls, perf acks). */
    Thread newThread(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        lastSeen.put(t, 0L);
        return t;
    }

    /**
     * Counts the native threads that appeared since {@code before} (a {@link ProcCpu#threadIds()}
     * taken just before an engine started): the engine's own, such as async-profiler's timer.
     */
    void registerNativeSince(Set<Long> before) {
        for (long tid : ProcCpu.threadIds()) {
            if (!before.contains(tid)) {
                nativeLastSeen.putIfAbsent(tid, 0L);
            }
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
                + sweep(nativeLastSeen, ProcCpu::threadNanos);
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
