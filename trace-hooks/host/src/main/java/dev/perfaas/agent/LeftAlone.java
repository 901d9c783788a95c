package dev.perfaas.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Instances the agent finds but does not sample, and why: {@code -G} on the root {@code perf_event}
 * cgroup would sample the whole node; a cgroup path with {@code ..} is relative to the agent's own
 * cgroup namespace, which perf cannot resolve; a function built from the perfaas template profiles
 * itself in process (its container's environment holds the hook's {@code PERFAAS_FUNCTION}) unless
 * it hands that to the node with {@code PERFAAS_ENGINE=host-perf}.
 */
final class LeftAlone {
    /** The hook's own configuration: a template function's stack file sets it (templates/java17-perfaas). */
    static final String HOOK_VARIABLE = "PERFAAS_FUNCTION";

    private LeftAlone() {}

    /** Why {@code instance} is not sampled, or null when it is; its environment is read under {@code proc}. */
    static String reason(Instance instance, Path proc) {
        String cgroup = instance.cgroup().perfEvent();
        if (cgroup.isEmpty()) {
            return "it is in the root perf_event cgroup (started before that was mounted?): -G would sample the node";
        }
        if (cgroup.equals("..") || cgroup.startsWith("../") || cgroup.contains("/../")) {
            return "its cgroup " + cgroup + " is outside the agent's cgroup namespace: run the agent in the host's";
        }
        String environ;
        try {
            environ = Files.readString(
                    proc.resolve(Long.toString(instance.hostPid())).resolve("environ"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null; // gone (the next refresh drops it) or unreadable: nothing says a hook profiles it
        }
        return profilesItself(environ)
                ? "its perfaas hook profiles it in process (" + HOOK_VARIABLE + " is set)"
                : null;
    }

    /** True when a /proc/<pid>/environ (NUL-separated) has the hook configured and not handing over to the node. */
    static boolean profilesItself(String environ) {
        boolean hooked = false;
        boolean toNode = false;
        for (String entry : environ.split("\0")) {
            hooked |= entry.startsWith(HOOK_VARIABLE + "=");
            toNode |= entry.equals("PERFAAS_ENGINE=" + ControllerApi.ENGINE);
        }
        return hooked && !toNode;
    }
}
