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
                () -> {
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
                    if (ending == Ending.RETIRES) {
                        account.retire(Thread.currentThread());
                    }
                },
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
        Thread function = burner("function-request", burnt, finish);
        Thread engine = burner("Async-profiler test", burnt, finish);
        function.start();
        engine.start();
        burnt.await();
        account.registerNativeSince(before, "Async-profiler");
        long counted = account.totalNanos();
        // /proc counts 10 ms ticks: one burn reads 40-60 ms, two at least 80.
        assertTrue(counted >= BURN_NANOS / 2, "the engine's thread counts: " + counted);
        assertTrue(counted < 3 * BURN_NANOS / 2, "the function's thread does not: " + counted);
        finish.countDown();
        function.join();
        engine.join();
    }

    private static Thread burner(String name, CountDownLatch burnt, CountDownLatch finish) {
        return new Thread(
                () -> {
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
                },
                name);
    }
}
