package dev.perfaas.hook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One invocation between {@link TraceHook#begin} and {@link TraceHook#end}. Reused per thread,
 * so the untraced path allocates nothing.
 */
public final class Invocation {
    enum Mode {
        UNTRACED,
        TRACED,
        CONTROL
    }

    /**
     * {@link #runningSince} is read by the {@link SlowCallWatcher}'s thread. Release stores and
     * acquire loads order it with the fields written before it (the call id at the start; the last
     * start and wall time at the end) and compile to plain moves on x86: the request path pays no fence.
     */
    private static final VarHandle RUNNING_SINCE;

    static {
        try {
            RUNNING_SINCE = MethodHandles.lookup().findVarHandle(Invocation.class, "runningSince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One untraced invocation in this many per thread has its allocation measured (traced and
     * control ones always): the two reads of the thread's allocation counter cost ~18 ns together
     * (~9 ns each, HookFastPathBench.threadAllocatedBytes), which every invocation would add to a
     * fast path of 55-80 ns that must stay under 100 ns; one in eight adds ~2 ns on average.
     */
    static final int MEMORY_SAMPLE_EVERY = 8;

    /** The thread that runs this object's invocations; null for a re-entered one, which no watcher sees. */
    final Thread thread;

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
    /** The platform's id of the call (OpenFaaS' X-Call-Id), or null. */
    String callId;
    /** startNanos while running, 0 between invocations; see {@link #RUNNING_SINCE}. */
    @SuppressWarnings("unused") // through RUNNING_SINCE
    private long runningSince;
    /** The start and wall time of the last invocation that ended: how long a watched one took. */
    long lastStartNanos;

    long lastWallNanos;

    Invocation() {
        this(null);
    }

    Invocation(Thread thread) {
        this.thread = thread;
    }

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

    void started(long nanos) {
        startNanos = nanos;
        RUNNING_SINCE.setRelease(this, nanos);
    }

    void ended(long wallNanos) {
        lastStartNanos = startNanos;
        lastWallNanos = wallNanos;
        RUNNING_SINCE.setRelease(this, 0L);
    }

    /** For the watcher: the running invocation's start, or 0. */
    long runningSince() {
        return (long) RUNNING_SINCE.getAcquire(this);
    }

    void reset() {
        mode = Mode.UNTRACED;
        weighed = false;
        tag = -1;
        active = false;
        cold = false;
        session = null;
        callId = null;
    }
}
