package dev.perfaas.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * What one sample of a slow call costs the hook's watcher thread: {@code Thread.getStackTrace()} of
 * another thread (what the hook's SlowCallWatcher takes every 10-100 ms), measured as the watcher's own
 * thread CPU, for a thread sleeping 40 frames deep and one running on CPU at the same depth.
 * Printed with the share of one core it takes at the coarsest and the finest interval. Then what a
 * wake of the parked watcher costs, which sets how often it may look at running invocations.
 */
public final class SlowCallSampleBench {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int DEPTH = 40;
    private static final int SAMPLES = 20_000;
    private static volatile boolean stop;
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        measure("sleeping", true);
        measure("running", false);
        stop = true;
        for (long ms : new long[] {5, 20, 200}) {
            wakes(ms);
        }
    }

    /** A thread that parks {@code ms} at a time for 3 s, as the watcher between looks: its CPU per wake. */
    private static void wakes(long ms) throws InterruptedException {
        long[] cpu = new long[1];
        int[] wakes = new int[1];
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + 3_000_000_000L;
            long start = THREADS.getCurrentThreadCpuTime();
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(ms * 1_000_000);
                wakes[0]++;
            }
            cpu[0] = THREADS.getCurrentThreadCpuTime() - start;
        });
        t.start();
        t.join();
        System.out.printf(
                "parked %d ms at a time: %.1f us CPU per wake, %.3f %% of a core%n",
                ms, cpu[0] / 1e3 / wakes[0], cpu[0] / 3e9 * 100);
    }

    private static void measure(String what, boolean sleeping) throws Exception {
        CountDownLatch deep = new CountDownLatch(1);
        Thread t = new Thread(() -> descend(DEPTH, sleeping, deep), "slow-" + what);
        t.setDaemon(true);
        t.start();
        deep.await();
        for (int i = 0; i < SAMPLES / 10; i++) {
            t.getStackTrace(); // warm-up
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        int frames = 0;
        for (int i = 0; i < SAMPLES; i++) {
            frames += t.getStackTrace().length;
        }
        double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / SAMPLES;
        double wallMicros = (System.nanoTime() - wall) / 1e3 / SAMPLES;
        System.out.printf(
                "%s thread, %d frames: %.1f us CPU (%.1f us wall) per sample; at one every 10 ms %.2f %% of a core,"
                        + " every 100 ms %.3f %%%n",
                what, frames / SAMPLES, cpuMicros, wallMicros, cpuMicros / 100, cpuMicros / 1000);
        t.interrupt();
    }

    private static void descend(int depth, boolean sleeping, CountDownLatch deep) {
        if (depth > 0) {
            descend(depth - 1, sleeping, deep);
            return;
        }
        deep.countDown();
        long x = 1;
        while (!stop && !Thread.currentThread().isInterrupted()) {
            if (sleeping) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
