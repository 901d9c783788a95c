package dev.perfaas.containers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The perfaas node agent (trace-hooks/host) on the host, as {@code ./perfaas agent} runs it: a child
 * JVM with this test's classpath, which holds the agent's classes and jars. Root here (the suite runs
 * as root, as .ci/run does): perf system-wide on a cgroup, /proc/<pid>/root of other processes.
 */
final class NodeAgentProcess implements AutoCloseable {
    private final Process process;
    final Path log;

    private NodeAgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static NodeAgentProcess start(URI controller, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("agent.log");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.perfaas.agent.AgentMain",
                        "--controller",
                        controller.toString(),
                        "--work",
                        dir.resolve("work").toString(),
                        "--refresh-seconds",
                        "2"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new NodeAgentProcess(p, log);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** perf processes the agent runs now. */
    long perfProcesses() {
        return process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/perf")).orElse(false))
                .count();
    }

    /** Whether the agent's whole log so far holds {@code text}. */
    boolean logged(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: the agent stops its perf processes; then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
