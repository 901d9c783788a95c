package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU used by the hook's own threads (policy refresh, window closing, perf ack drainers), so the
 * tracer's cost can be told apart from the function's. A thread's CPU is readable only while it
 * lives, so the last value seen of each is kept, and banked once the thread is gone; a thread
 * that ends on purpose banks its exact total on the way out. The total never goes backwards.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Thread, Long> lastSeen = new ConcurrentHashMap<>();
    private long banked; // guarded by this

    void register(Thread t) {
        lastSeen.put(t, 0L);
    }

    /** Called by a registered thread as it ends. */
    synchronized void retire(Thread self) {
        if (lastSeen.remove(self) != null) banked += Math.max(0, THREADS.getCurrentThreadCpuTime());
    }

    synchronized long totalNanos() {
        long sum = banked;
        for (Map.Entry<Thread, Long> e : lastSeen.entrySet()) {
            long now = e.getKey().isAlive() ? THREADS.getThreadCpuTime(e.getKey().getId()) : -1;
            if (now < 0) {
                banked += e.getValue();
                sum += e.getValue();
                lastSeen.remove(e.getKey());
            } else {
                e.setValue(now);
                sum += now;
            }
        }
        return sum;
    }
}
