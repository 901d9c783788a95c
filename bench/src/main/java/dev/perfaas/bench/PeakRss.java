package dev.perfaas.bench;

import java.util.concurrent.atomic.AtomicLong;

/** A process's peak resident memory, sampled every 100 ms from construction to {@link #close}. */
final class PeakRss implements AutoCloseable {
    private final AtomicLong peakMb = new AtomicLong();
    private final Thread watch;

    PeakRss(long pid) {
        watch = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    peakMb.accumulateAndGet(ProcStat.rssMb(pid), Math::max);
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                // interrupted: measuring is over
            }
        });
        watch.start();
    }

    /** The peak so far, in MB. */
    long mb() {
        return peakMb.get();
    }

    @Override
    public void close() throws InterruptedException {
        watch.interrupt();
        watch.join();
    }
}
