package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A registered thread's CPU stays in the total however the thread goes on: still running, ended
 * after retiring itself, or ended without a word (its last value seen is banked). The total never
 * goes backwards. Amounts are only bounded below: the machine is shared.
 */
class CpuAccountTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Enough CPU to be seen whatever the clock's resolution (the /proc tick is 10 ms). */
    private static final long BURN_NANOS = 50_000_000;

    enum Ending {
        STILL_RUNNING,
        RETIRES,
        JUST_ENDS
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void aThreadsCpuStaysCounted(Ending ending) throws Exception {
        CpuAccount account = new CpuAccount();
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread t = account.newThread(
                burnThenWait(burnt, finish, () -> {
                    if (ending == Ending.RETIRES) {
                        account.retire(Thread.currentThread());
                    }
                }),
                "cpu-account-test");
        t.start();
        burnt.await();
        long whileAlive = account.totalNanos();
        assertTrue(whileAlive >= BURN_NANOS, "the running thread's CPU: " + whileAlive);
        if (ending != Ending.STILL_RUNNING) {
            finish.countDown();
            t.join();
        }
        long after = account.totalNanos();
        assertTrue(after >= whileAlive, ending + ": " + after + " after " + whileAlive);
        finish.countDown();
        t.join();
    }

    /**
     * Of the threads that start with an engine, only the engine's own count: a function's thread
     * that starts at the same moment (a request thread, a GC or compiler thread the JVM adds) is
     * the function's, however busy.
     */
    @Test
    void onlyTheEnginesNamedThreadsThatStartedWithItCount() throws Exception {
        CpuAccount account = new CpuAccount();
        Set<Long> before = ProcCpu.threadIds();
        CountDownLatch burnt = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        Thread function = new Thread(burnThenWait(burnt, finish, () -> {}), "function-request");
        Thread engine = new Thread(burnThenWait(burnt, finish, () -> {}), "Async-profiler test");
        function.start();
        engine.start();
        burnt.await();
        account.registerNativeSince(before, "Async-profiler");
        long counted = account.totalNanos();
        // Read from schedstat, as exact as the thread's own CPU clock: each burnt at least BURN_NANOS.
        assertTrue(counted >= BURN_NANOS, "the engine's thread counts: " + counted);
        assertTrue(counted < 2 * BURN_NANOS, "the function's thread does not: " + counted);
        finish.countDown();
        function.join();
        engine.join();
    }

    /** Burns {@link #BURN_NANOS} of CPU, counts {@code burnt} down, waits for {@code finish}, then runs {@code atEnd}. */
    private static Runnable burnThenWait(CountDownLatch burnt, CountDownLatch finish, Runnable atEnd) {
        return () -> {
            long end = THREADS.getCurrentThreadCpuTime() + BURN_NANOS;
            while (THREADS.getCurrentThreadCpuTime() < end) {
                Thread.onSpinWait();
            }
            burnt.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atEnd.run();
        };
    }
}
