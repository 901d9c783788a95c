package dev.perfaas.agent;

import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Project;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two containers of the same Go function (deploy/containers/functions/go) under the same steady
 * load at once: {@link #plain} carries no function label, so no agent finds it; {@link #sampled} is
 * labelled {@code faas_function=}{@link #FUNCTION}. Whatever the machine does to one (other
 * engineers' builds, clock changes) it does to the other, so the sampled side's CPU per request over
 * the plain side's is a ratio the noise mostly cancels from; phases without the agent give the
 * ratio the two have by themselves.
 */
final class GoTwins implements AutoCloseable {
    static final String FUNCTION = "go-bench";

    final Side plain;
    final Side sampled;

    /** One container: its host pid, cgroups and load. */
    static final class Side implements AutoCloseable {
        final String name;
        final long pid;
        final Cgroup cgroup;
        private final PacedLoad load;

        private Side(String name, long pid, Cgroup cgroup, PacedLoad load) {
            this.name = name;
            this.pid = pid;
            this.cgroup = cgroup;
            this.load = load;
        }

        static Side start(String image, String name, List<String> labels, double perSecond, int n)
                throws IOException, InterruptedException {
            int port = Http.freePort();
            List<String> run =
                    new ArrayList<>(List.of("run", "-d", "--network", "host", "-e", "PORT=" + port, "--name", name));
            labels.forEach(l -> run.addAll(List.of("--label", l)));
            run.add(image);
            docker(run);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(name))); // a killed bench leaves none
            try {
                URI url = URI.create("http://127.0.0.1:" + port + "/?n=" + n);
                if (!Http.awaitOk(url, Duration.ofSeconds(60), () -> true)) {
                    throw new IOException(name + " did not answer " + url);
                }
                long pid = Long.parseLong(docker(List.of("inspect", "-f", "{{.State.Pid}}", name)));
                Cgroup cgroup = Cgroup.of(pid);
                if (cgroup.perfEvent().isEmpty()) {
                    throw new IOException(
                            name + " is in the root perf_event cgroup: -G would sample the whole machine");
                }
                return new Side(name, pid, cgroup, new PacedLoad(url, perSecond));
            } catch (IOException | RuntimeException e) {
                remove(name);
                throw e;
            }
        }

        long requests() {
            return load.ok.sum();
        }

        long failed() {
            return load.failed.sum();
        }

        /** The container's processes (host pids), as its cgroup lists them. */
        List<Long> pids() throws IOException {
            return Files.readAllLines(cgroup.procs()).stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Long::parseLong)
                    .toList();
        }

        @Override
        public void close() throws InterruptedException {
            load.close();
            remove(name);
        }
    }

    /** Both sides' answered requests and cgroup CPU at one moment. */
    record Tally(long plainRequests, long plainCpuNanos, long sampledRequests, long sampledCpuNanos) {
        /** The sampled side's CPU per request over the plain side's, since {@code earlier}. */
        double ratioSince(Tally earlier) {
            return sampledCpuPerRequestSince(earlier) / plainCpuPerRequestSince(earlier);
        }

        double plainCpuPerRequestSince(Tally earlier) {
            return (plainCpuNanos - earlier.plainCpuNanos) / (double) (plainRequests - earlier.plainRequests);
        }

        double sampledCpuPerRequestSince(Tally earlier) {
            return (sampledCpuNanos - earlier.sampledCpuNanos) / (double) (sampledRequests - earlier.sampledRequests);
        }

        long sampledCpuSince(Tally earlier) {
            return sampledCpuNanos - earlier.sampledCpuNanos;
        }
    }

    private GoTwins(Side plain, Side sampled) {
        this.plain = plain;
        this.sampled = sampled;
    }

    /** Builds the image (Docker's cache makes an unchanged one quick) and starts both sides under load. */
    static GoTwins start(Project project, double perSecond, int n) throws IOException, InterruptedException {
        String tag =
                "perfaas-bench/go-collatz:" + Integer.toHexString(project.root().hashCode());
        docker(List.of(
                "build",
                "--network",
                "host",
                "-q",
                "-t",
                tag,
                project.root().resolve("deploy/containers/functions/go").toString()));
        // dockerd makes perf_event/docker/<id> only for containers started once the controller is mounted.
        PerfEventMount.ensure();
        String suffix = Long.toString(ProcessHandle.current().pid());
        Side plain = Side.start(tag, "perfaas-bench-plain-" + suffix, List.of(), perSecond, n);
        try {
            Side sampled = Side.start(
                    tag, "perfaas-bench-sampled-" + suffix, List.of("faas_function=" + FUNCTION), perSecond, n);
            return new GoTwins(plain, sampled);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    Tally tally() {
        return new Tally(plain.requests(), plain.cgroup.cpuNanos(), sampled.requests(), sampled.cgroup.cpuNanos());
    }

    /**
     * perf record processes on the sampled side's cgroup or pids that {@code ours} does not hold:
     * another engineer's agent on this shared machine found the labelled container too.
     */
    long foreignPerfs(Set<Long> ours) throws IOException {
        String cgroup = sampled.cgroup.perfEvent();
        String pid = Long.toString(sampled.pid);
        return ProcessHandle.allProcesses()
                .filter(h -> !ours.contains(h.pid()))
                .filter(h -> h.info()
                        .arguments()
                        .map(a -> {
                            List<String> args = List.of(a);
                            return args.contains("record") && (args.contains(cgroup) || args.contains(pid));
                        })
                        .orElse(false))
                .count();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            sampled.close();
        } finally {
            plain.close();
        }
    }

    static String docker(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** Removes the container if it is still there (closed, or this JVM exiting). */
    private static void remove(String name) {
        try {
            docker(List.of("rm", "-f", name));
        } catch (IOException e) {
            System.err.println("could not remove container " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
