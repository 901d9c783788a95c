package dev.perfaas.hook;

import java.io.IOException;

/**
 * One stretch of sampling by one engine that ends in one profile: started by {@link Engines},
 * entered and left by traced invocations, carried across windows until worth cutting, then
 * finished into a profile in the perf script text FlameScope reads.
 */
interface Sampler {
    /** The engine's name in reports and policies: "async", "async-cpu", "perf" or "jfr". */
    String engine();

    int frequencyHz();

    /** A traced invocation begins on the calling thread; false when this sampler can no longer trace. */
    boolean enter();

    /** The traced invocation that entered on the calling thread ended; its System.nanoTime() bounds. */
    void leave(long startNanos, long endNanos);

    boolean usable();

    /** True while it works and nothing was traced yet: its profile would hold no sample. */
    boolean unused();

    /**
     * Samples the traced time so far should have given: traced wall time x frequency (for the engines
     * that sample CPU time, at most that: a traced invocation that waits gives fewer).
     */
    double expectedSamples();

    /** Wall-clock time of the first traced invocation, or 0: where the profile begins. */
    long firstTracedMillis();

    /**
     * CPU the engine used since the last call outside this JVM's threads (a perf process), 0 for
     * an engine inside the JVM, whose threads the hook's {@link CpuAccount} counts. Once a perf
     * process has exited, all of its CPU is in our reaped children's: then, once, minus what was
     * counted of it before.
     */
    long countCpu();

    /** Waits until no traced invocation is in flight, at most {@code timeoutMs}. */
    void awaitIdle(long timeoutMs) throws InterruptedException;

    /**
     * Stops sampling and renders what was sampled into a gzipped profile (null file when it holds
     * no sample), removing the engine's own files. Call once, after {@link #awaitIdle}.
     */
    ProfileFile finish() throws IOException;
}
