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
    Sampler session;

    /** True when a sampling engine is sampling this invocation. */
    public boolean traced() {
        return mode == Mode.TRACED;
    }

    void reset() {
        mode = Mode.UNTRACED;
        active = false;
        cold = false;
        session = null;
    }
}
