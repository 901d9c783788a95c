package dev.perfaas.hook;

/**
 * One invocation between {@link TraceHook#begin} and {@link TraceHook#end}. Reused per thread,
 * so the untraced path allocates nothing.
 */
public final class Invocation {
    enum Mode { UNTRACED, TRACED, CONTROL }

    Mode mode = Mode.UNTRACED;
    boolean active;
    boolean cold;
    long startNanos;
    long cpuStartNanos;
    long allocStartBytes;
    /** Whether this invocation's allocation is measured: traced, control, or its thread's turn. */
    boolean weighed;
    /** Untraced invocations of this thread before the next one is weighed. */
    int untilWeighed;
    long tag = -1;
    Sampler session;

    /** True when a sampling engine is sampling this invocation. */
    public boolean traced() {
        return mode == Mode.TRACED;
    }

    /**
     * What the invocation's memory is set against: a size of its input (lines, items, bytes) that
     * the runtime learns from the handler (see the runtime's X-Perfaas-Tag), >= 0. Call before
     * {@link TraceHook#end}; an untagged invocation's allocation counts but is no point of the fit.
     */
    public void tag(long units) {
        tag = units;
    }

    void reset() {
        mode = Mode.UNTRACED;
        weighed = false;
        tag = -1;
        active = false;
        cold = false;
        session = null;
    }
}
