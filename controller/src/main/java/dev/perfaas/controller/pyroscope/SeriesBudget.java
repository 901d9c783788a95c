package dev.perfaas.controller.pyroscope;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a profile may carry its instance label. Pyroscope limits the active series of a tenant
 * (ingester.max-global-series-per-tenant, 5,000 by default) and keeps a series active for 10 minutes
 * after its last profile (pkg/ingester/limiter.go); each sample type of a pprof is a series of its own.
 * Instances come and go (every rollout, every scale-up names new ones), so per-instance series are
 * given out while the series perfaas pushed in the last 10 minutes stay within {@code max}; past it a
 * profile goes to its function's series, without the instance. A series already active keeps its
 * label. Only what this controller pushed since it started is counted.
 */
final class SeriesBudget {

    /** Pyroscope's activeSeriesTimeout. */
    static final long ACTIVE_MILLIS = 10 * 60 * 1000;

    private record Active(long lastMillis, int series) {}

    private final int max;
    /** Least recently pushed first. */
    private final LinkedHashMap<String, Active> active = new LinkedHashMap<>(16, 0.75f, true);

    private int series;

    SeriesBudget(int max) {
        if (max < 0) {
            throw new IllegalStateException("perfaas.pyroscope.max-series must be 0 or more, got " + max);
        }
        this.max = max;
    }

    /** Whether {@code key} (a label set of {@code count} series) may be pushed as a new or active series. */
    boolean fits(String key, int count, long nowMillis) {
        expire(nowMillis);
        return active.containsKey(key) || series + count <= max;
    }

    /** {@code key} was pushed now. */
    void pushed(String key, int count, long nowMillis) {
        Active before = active.put(key, new Active(nowMillis, count));
        series += count - (before == null ? 0 : before.series());
    }

    /** Series counted active now. */
    int active(long nowMillis) {
        expire(nowMillis);
        return series;
    }

    private void expire(long nowMillis) {
        for (Iterator<Map.Entry<String, Active>> it = active.entrySet().iterator(); it.hasNext(); ) {
            Active a = it.next().getValue();
            if (nowMillis - a.lastMillis() < ACTIVE_MILLIS) {
                break;
            }
            series -= a.series();
            it.remove();
        }
    }
}
