package dev.perfaas.controller.functions;

import java.util.HashMap;
import java.util.Map;

/**
 * A function's CPU, memory and OOM kills from its instances' cgroups, as the node agent reports them:
 * each report brings an instance's counters since its cgroup was made. The function's counters are
 * the instances' summed, and never go down: an instance whose counter went down (a new cgroup under
 * the same name, as faasd re-creating a container) or that is forgotten keeps its last value, in the
 * retired sums; an agent that restarts reads the same cgroup counters again. The working set is the
 * sum over the live instances, those heard from within two of their windows. Not locked: its
 * FunctionRecord's lock guards it.
 */
final class CgroupUsage {

    /** An instance that sent no report for two of its windows (at least this long) is gone. */
    static final long MIN_LIVE_MILLIS = 20_000;

    private record Last(WindowReport.Cgroup cgroup, long receivedMillis, long windowMillis) {}

    private final Map<String, Last> instances = new HashMap<>();
    private long retiredCpuNanos;
    private long retiredOomKills;

    void add(String instance, WindowReport report, long nowMillis) {
        WindowReport.Cgroup now = report.cgroup();
        if (now == null) {
            return;
        }
        Last before = instances.get(instance);
        if (before != null
                && (now.cpuUsageNanos() < before.cgroup().cpuUsageNanos() || oom(now) < oom(before.cgroup()))) {
            retire(instance);
        }
        instances.put(instance, new Last(now, nowMillis, report.windowEndMillis() - report.windowStartMillis()));
    }

    /** The instance's counters stay in the function's; its working set leaves it. */
    void retire(String instance) {
        Last last = instances.remove(instance);
        if (last != null) {
            retiredCpuNanos =
                    FunctionRecord.saturated(retiredCpuNanos + last.cgroup().cpuUsageNanos());
            retiredOomKills = FunctionRecord.saturated(retiredOomKills + oom(last.cgroup()));
        }
    }

    /** Null before any instance reported its cgroup. */
    CgroupTotals totals(long nowMillis) {
        if (instances.isEmpty() && retiredCpuNanos == 0 && retiredOomKills == 0) {
            return null;
        }
        long cpu = retiredCpuNanos;
        long oom = retiredOomKills;
        long workingSet = 0;
        Long limit = null;
        int live = 0;
        for (Last l : instances.values()) {
            cpu = FunctionRecord.saturated(cpu + l.cgroup().cpuUsageNanos());
            oom = FunctionRecord.saturated(oom + oom(l.cgroup()));
            if (nowMillis - l.receivedMillis() <= 2 * Math.max(l.windowMillis(), MIN_LIVE_MILLIS / 2)) {
                live++;
                workingSet = FunctionRecord.saturated(workingSet + l.cgroup().memoryWorkingSetBytes());
                Long instanceLimit = l.cgroup().memoryLimitBytes();
                if (instanceLimit != null && (limit == null || instanceLimit > limit)) {
                    limit = instanceLimit;
                }
            }
        }
        return new CgroupTotals(cpu / 1e9, oom, workingSet, limit, live);
    }

    private static long oom(WindowReport.Cgroup c) {
        return c.oomKills() == null ? 0 : c.oomKills();
    }
}
