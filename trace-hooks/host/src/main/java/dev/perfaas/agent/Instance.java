package dev.perfaas.agent;

/**
 * One running instance of a function on this node, as a discovery found it.
 *
 * @param function the function's name (its label, or faasd's container id)
 * @param name     the instance's name in reports: unique on the node, stable while it runs
 * @param hostPid  its first process, in the host's pid namespace
 * @param cgroup   its cgroups, read from /proc/{hostPid}/cgroup
 * @param version  the function's version label ({@link VersionLabel}), or null
 */
record Instance(String function, String name, long hostPid, Cgroup cgroup, String version) {}
