package dev.perfaas.hook;

/**
 * The JIT compiles the hook's own work causes, estimated from the compiler threads' CPU. Closing a
 * window runs code nothing else in the JVM runs (cutting and rendering a recording, the HTTP
 * client), once a window, so that code warms for many minutes, a window at a time: in the paired
 * benchmark the traced JVM's compiler threads used twice the plain one's CPU, mostly in the second
 * after each close (BENCHMARKS.md, section 9). The compiler CPU of the {@link #SETTLE_NANOS} from a
 * close's start, above the rate of the quiet time since the last one, counts as the hook's; the
 * function's own compiles go on at that rate through the close. Two readings a window, nothing
 * between. Pure: the readings come from the caller.
 */
final class HookJit {
    /** Compiles a close queues finish within this: its work takes ~0.1 s, and a compile rarely 0.5 s more. */
    static final long SETTLE_NANOS = 2_000_000_000L;

    private long quietStartJit = -1;
    private long quietStartNanos;
    private long workStartJit = -1;
    private long workStartNanos;
    private long counted;

    /** A close begins; {@code jitNanos}: the compiler threads' CPU now. */
    void workStarts(long jitNanos, long nowNanos) {
        if (workStartJit >= 0) {
            settle(jitNanos, nowNanos); // closes back to back: the last one's span ends here
        }
        workStartJit = jitNanos;
        workStartNanos = nowNanos;
    }

    /** A close's span is under way. */
    boolean open() {
        return workStartJit >= 0;
    }

    /** Whether a close's span is over and wants its reading ({@link #settle}). */
    boolean settles(long nowNanos) {
        return open() && nowNanos - workStartNanos >= SETTLE_NANOS;
    }

    /**
     * Ends the open span: its compiler CPU above the quiet rate before it counts. The first span
     * has no quiet time before it to compare with (the function's own warm-up compiles run then):
     * it only starts the quiet time.
     */
    void settle(long jitNanos, long nowNanos) {
        long quietNanos = workStartNanos - quietStartNanos;
        if (quietStartJit >= 0 && quietNanos > 0) {
            double quietRate = Math.max(0, workStartJit - quietStartJit) / (double) quietNanos;
            counted += Math.round(Math.max(0, jitNanos - workStartJit) - quietRate * (nowNanos - workStartNanos));
        }
        workStartJit = -1;
        quietStartJit = jitNanos;
        quietStartNanos = nowNanos;
    }

    /**
     * The hook's compiler CPU since the last call, in ns, never below zero. A span below the quiet
     * rate (noise, where the hook compiled nothing) is carried into the next ones rather than dropped:
     * dropping it would count only the noise's upper half.
     */
    long take() {
        long n = Math.max(0, counted);
        counted -= n;
        return n;
    }
}
