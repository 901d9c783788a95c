package dev.perfaas.agent;

import dev.perfaas.hook.ProcCpu;
import dev.perfaas.launcher.ControllerProcess;
import dev.perfaas.launcher.ManagedProcess;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node agent as {@code ./perfaas agent} runs it (its own JVM, its perf children), and its CPU
 * read from /proc split three ways: the JVM's own, the perf record processes running, and the rest
 * of its children (the {@code perf script} renders, running or reaped).
 */
final class AgentRun extends ManagedProcess {

    /** The agent's CPU at one moment, in ns. */
    record Cpu(long jvm, long perfRecord, long perfScript) {
        Cpu minus(Cpu earlier) {
            return new Cpu(jvm - earlier.jvm, perfRecord - earlier.perfRecord, perfScript - earlier.perfScript);
        }
    }

    private AgentRun(ProcessBuilder builder, Path log) throws IOException {
        super("agent", builder, log);
    }

    static AgentRun start(Project project, URI controller, Path dir) throws IOException {
        return new AgentRun(
                new ProcessBuilder(List.of(
                        ControllerProcess.javaBin(),
                        "-cp",
                        project.agentClasspath(),
                        "dev.perfaas.agent.AgentMain",
                        "--controller",
                        controller.toString(),
                        "--work",
                        dir.resolve("work").toString())),
                dir.resolve("agent.log"));
    }

    /** Waits until the agent runs a perf record of {@code cgroup} at {@code hz} (at any frequency for 0). */
    void awaitSampling(String cgroup, int hz, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("the agent exited " + process.exitValue() + ":\n" + logTail());
            }
            boolean sampling = perfRecords()
                    .anyMatch(h -> h.info()
                            .arguments()
                            .map(List::of)
                            .map(a -> {
                                int f = a.indexOf("-F");
                                return a.contains(cgroup)
                                        && f >= 0
                                        && (hz == 0 || a.get(f + 1).equals(Integer.toString(hz)));
                            })
                            .orElse(false));
            if (sampling) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("the agent ran no perf record of " + cgroup + " at " + hz + " Hz within " + timeout
                + ":\n" + logTail());
    }

    /** perf record processes sampling other cgroups than {@code cgroup}: other functions on this machine. */
    long otherPerfRecords(String cgroup) {
        return perfRecords()
                .filter(h -> !h.info()
                        .arguments()
                        .map(a -> List.of(a).contains(cgroup))
                        .orElse(false))
                .count();
    }

    Cpu cpu() {
        ProcCpu.Times own = ProcCpu.of(process.pid());
        if (own == null) {
            throw new IllegalStateException("the agent is gone:\n" + logTail());
        }
        Set<Long> records = perfRecords().map(ProcessHandle::pid).collect(Collectors.toSet());
        long record = 0;
        long other = own.reapedChildrenNanos();
        for (ProcessHandle h : process.descendants().toList()) {
            ProcCpu.Times t = ProcCpu.of(h.pid());
            if (t != null) {
                if (records.contains(h.pid())) {
                    record += t.ownNanos();
                } else {
                    other += t.ownNanos();
                }
            }
        }
        return new Cpu(own.ownNanos(), record, other);
    }

    /** This agent's processes and theirs, for telling them from another agent's. */
    Set<Long> pids() {
        Set<Long> pids = process.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        pids.add(process.pid());
        return pids;
    }

    private java.util.stream.Stream<ProcessHandle> perfRecords() {
        return process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/perf")).orElse(false)
                        && h.info()
                                .arguments()
                                .map(a -> a.length > 0 && a[0].equals("record"))
                                .orElse(false));
    }
}
