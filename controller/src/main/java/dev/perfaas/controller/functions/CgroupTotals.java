package dev.perfaas.controller.functions;

/**
 * A function's figures from its instances' cgroups now (see CgroupUsage).
 *
 * @param cpuSeconds      CPU of every instance since its cgroup was made, summed
 * @param oomKills        OOM kills in every instance's cgroup, summed
 * @param workingSetBytes the live instances' memory working sets, summed
 * @param limitBytes      the largest memory limit among the live instances (null: none is limited, or none lives)
 * @param liveInstances   instances heard from within two of their windows
 */
public record CgroupTotals(
        double cpuSeconds, long oomKills, long workingSetBytes, Long limitBytes, int liveInstances) {}
