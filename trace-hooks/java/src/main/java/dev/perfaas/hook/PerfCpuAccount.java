package dev.perfaas.hook;

/**
 * CPU of perf processes, window by window (in-process engines count none here: their threads are
 * in the hook's {@link CpuAccount}). A running perf is read from /proc; once it exits and is
 * reaped its whole CPU lands in our cutime/cstime, together with perf script runs, and its
 * sampler's countCpu() then takes back what was counted of it while it ran. A perf reaped
 * between the two reads is taken back before its CPU shows in cutime: that shortfall is carried
 * into the next window, not lost. Window thread only.
 */
final class PerfCpuAccount {
    private long lastReapedCpu = ProcCpu.reapedChildrenNanos();
    /** The sampler the last window cut: its perf, if it stopped, has been reaped since. */
    private Sampler lastFinished;
    /** perf CPU credited back before the reap that brings it showed in our children's CPU. */
    private long carry;

    /** {@code finished}: the sampler this window cut (or null); {@code running}: the one going on. */
    long sinceLastWindow(Sampler finished, Sampler running) {
        long reaped = ProcCpu.reapedChildrenNanos();
        long total = reaped - lastReapedCpu + carry;
        lastReapedCpu = reaped;
        if (lastFinished != null) {
            total += lastFinished.countCpu();
        }
        if (finished != null) {
            total += finished.countCpu();
        }
        if (running != null) {
            total += running.countCpu();
        }
        lastFinished = finished;
        carry = Math.min(0, total);
        return Math.max(0, total);
    }
}
