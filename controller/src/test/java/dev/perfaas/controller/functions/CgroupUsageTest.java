package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One step at a time: an instance's report, then the function's totals. */
class CgroupUsageTest {
    private static final long S = 1_000_000_000L;

    @Test
    void nothingBeforeTheFirstCgroup() {
        CgroupUsage u = new CgroupUsage();
        u.add("a", report(null), 0);
        assertNull(u.totals(0), "a hook's report has no cgroup");
    }

    @Test
    void eachStepKeepsTheSumMonotonic() {
        // instance, cpu s, working set, oom kills, at ms -> function's cpu s, oom kills, working set, live
        record Step(
                String instance,
                long cpu,
                long ws,
                long oom,
                long at,
                double totalCpu,
                long totalOom,
                long totalWs,
                int live) {}
        CgroupUsage u = new CgroupUsage();
        for (Step s : List.of(
                new Step("a", 10, 100, 0, 0, 10, 0, 100, 1),
                new Step("b", 5, 50, 0, 1_000, 15, 0, 150, 2),
                new Step("a", 12, 80, 1, 2_000, 17, 1, 130, 2), // a grows, an OOM kill
                new Step("a", 1, 20, 0, 3_000, 18, 1, 70, 2), // a's cgroup made again: 12 s and 1 kill kept
                new Step("b", 6, 60, 0, 25_000, 19, 1, 60, 1))) { // a silent for 22 s of 10 s windows: not live
            u.add(s.instance(), report(new WindowReport.Cgroup(s.cpu() * S, s.ws(), null, s.oom())), s.at());
            CgroupTotals t = u.totals(s.at());
            assertEquals(
                    List.of(s.totalCpu(), s.totalOom(), s.totalWs(), s.live()),
                    List.of(t.cpuSeconds(), t.oomKills(), t.workingSetBytes(), t.liveInstances()),
                    s.toString());
        }
        u.retire("b");
        assertEquals(19.0, u.totals(25_000).cpuSeconds(), "a forgotten instance keeps its last value");
        assertEquals(0, u.totals(25_000).workingSetBytes());
    }

    private static WindowReport report(WindowReport.Cgroup c) {
        return new WindowReport(
                "f",
                "i",
                0,
                10_000,
                "host-perf",
                Map.of(),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                null,
                List.of(),
                false,
                null,
                null,
                null,
                List.of(),
                null,
                c,
                null);
    }
}
