package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.controller.profiles.PerfScriptCheck;
import dev.perfaas.controller.profiles.ProfileHeader;
import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The node agent (trace-hooks/host) on the host profiles functions perfaas did not build: a Go and a
 * Node.js HTTP server, each in a container labelled faas_function, beside the controller's container. The agent finds
 * it through the Docker engine, samples its cgroup with perf under the controller's policy and
 * uploads profiles FlameScope opens, with the handler's own frames and no other process's samples;
 * a container removed is dropped.
 */
class HostAgentTest extends NodeAgentTests {
    /** perf script's sample line: comm, pid/tid, [cpu], time. */
    private static final Pattern SAMPLE =
            Pattern.compile("^\\s*(.+?)\\s+(\\d+)/(\\d+)\\s+\\[\\d+\\]\\s+(\\d+\\.\\d+):");
    /** A frame with perf's offset into its symbol, which FlameScope would draw as a frame of its own. */
    private static final Pattern OFFSET = Pattern.compile("\\+0x\\p{XDigit}+ \\(");

    /** Generous for a busy 2-core machine: image builds are before it, this is perf and a few windows. */
    private static final Duration PROFILED = Duration.ofMinutes(4);

    /** Go binaries carry their symbols and frame pointers: perf resolves the handler from the container's binary. */
    @Test
    void aGoFunctionIsProfiledFromTheHost() throws Exception {
        profiledFromTheHost(
                "go-collatz",
                Images.goFunction(),
                "/?n=20000",
                Pattern.compile(" main\\.collatzSteps \\("),
                Pattern.compile("^main\\.collatzSteps$"));
    }

    /** V8 names JavaScript frames in /tmp/perf-<pid>.map inside the container; the agent copies it to the host. */
    @Test
    void aNodeFunctionIsProfiledFromTheHost() throws Exception {
        profiledFromTheHost(
                "node-primes",
                Images.nodeFunction(),
                "/?n=100000",
                Pattern.compile("sumPrimesBelow.*\\.map\\)$"),
                Pattern.compile("sumPrimesBelow"));
    }

    /**
     * @param frame the function's frame as a perf script line shows it (symbol and module)
     * @param node the same frame as a node of FlameScope's flame graph (the symbol alone)
     */
    private static void profiledFromTheHost(String fn, String image, String request, Pattern frame, Pattern node)
            throws Exception {
        int port = Http.freePort();
        try (Container c = Container.create(
                image, List.of("--network", "host", "-e", "PORT=" + port, "--label", "faas_function=" + fn))) {
            c.start();
            URI url = URI.create("http://127.0.0.1:" + port + request);
            Ready.awaitOk(url, c);
            try (Load load = new Load(url);
                    NodeAgentProcess agent = NodeAgentProcess.start(controller.url, work.resolve("agent-" + fn))) {
                Path profile = awaitProfileWith(controller.stacks, fn, frame, agent, c);
                long samples = checkProfile(profile, pids(c), node);
                ProfileHeader header = ProfileHeader.read(profile);
                assertEquals("host-perf", header.engine(), "the stored header line of " + profile);
                assertEquals(image, header.version(), "no PERFAAS_VERSION: the container's image reference");
                assertTrue(header.frequencyHz() != null && header.clockOffsetNanos() != null, header.toString());
                assertEngine(controller.url, fn, "host-perf", agent);
                load.close();
                assertTrue(load.answered.get() > 0, "the function answered no request");
                assertEquals(0, load.failed.get(), "requests failed while the agent sampled");
                System.out.printf(
                        "host agent: %s holds %d samples, %d with a %s frame; function %s: control %s%n",
                        profile.getFileName(),
                        samples,
                        samplesWith(profile, frame),
                        frame,
                        fn,
                        ControllerApi.function(controller.url, fn).get("control"));

                c.close();
                awaitDropped(agent, fn);
            }
        }
    }

    /** Once the container is gone the agent drops its instance and stops its perf. */
    static void awaitDropped(NodeAgentProcess agent, String fn) {
        try {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> agent.logTail().contains("instance gone: docker/" + fn + "/")
                            && agent.perfProcesses() == 0);
        } catch (ConditionTimeoutException e) {
            fail("the agent kept sampling " + fn + " after its container was removed (perf processes: "
                    + agent.perfProcesses() + ")\nagent log:\n" + agent.logTail());
        }
    }

    /**
     * FlameScope opens it (the oracle: its listing, heat map and flame graph, which shows the
     * function's frame) with every sample the controller counted, in time order, frames without
     * offsets, every sample of the function's processes.
     */
    static long checkProfile(Path profile, Set<Long> pids, Pattern node) throws IOException {
        byte[] body = Files.readAllBytes(profile);
        PerfScriptCheck check = new PerfScriptCheck();
        check.accept(body, 0, body.length);
        check.finish();
        Reading shown = FlameScopeOracle.read(profile);
        assertEquals(check.samples(), shown.heatmapSamples(), "FlameScope's heat map of " + profile);
        assertEquals(check.samples(), shown.flameGraphSamples(), "FlameScope's flame graph of " + profile);
        assertTrue(
                shown.flameGraph().names().stream()
                        .anyMatch(n -> node.matcher(n).find()),
                "FlameScope's flame graph of " + profile + " shows no " + node + " frame");
        double last = -1;
        List<String> strangers = new ArrayList<>();
        for (String line : Files.readAllLines(profile)) {
            if (line.startsWith("\t")) {
                assertTrue(!OFFSET.matcher(line).find(), "a frame with an offset in " + profile + ": " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (line.isEmpty() || line.startsWith("#") || !m.find()) {
                continue;
            }
            double time = Double.parseDouble(m.group(4));
            assertTrue(time >= last, "samples out of time order in " + profile + " at: " + line);
            last = time;
            if (!pids.contains(Long.parseLong(m.group(2)))) {
                strangers.add(line);
            }
        }
        assertEquals(List.of(), strangers, "samples of processes outside the function's container " + pids);
        return check.samples();
    }

    /** Samples with a frame of {@code frame}: perf script text is samples separated by blank lines. */
    static long samplesWith(Path profile, Pattern frame) throws IOException {
        return List.of(Files.readString(profile).split("\n\n")).stream()
                .filter(s -> s.lines()
                        .anyMatch(l -> l.startsWith("\t") && frame.matcher(l).find()))
                .count();
    }

    static Path awaitProfileWith(Path stacks, String fn, Pattern frame, NodeAgentProcess agent, Container c) {
        try {
            return await().atMost(PROFILED)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> withFrame(stacks, fn, frame), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            fail("no profile of " + fn + " with a " + frame + " frame within " + PROFILED + " (stored: "
                    + Profiles.of(stacks, fn) + "; agent alive: " + agent.alive() + ")\nagent log:\n"
                    + agent.logTail() + "\nfunction log:\n" + c.logTail());
            return null;
        }
    }

    private static Optional<Path> withFrame(Path stacks, String fn, Pattern frame) throws IOException {
        for (Path p : Profiles.of(stacks, fn)) {
            if (samplesWith(p, frame) > 0) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static void assertEngine(URI controller, String fn, String expected, NodeAgentProcess agent) throws Exception {
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> expected.equals(engine(controller, fn)));
        } catch (ConditionTimeoutException e) {
            fail("engine of " + fn + " is not " + expected + ": " + engine(controller, fn) + "\nagent log:\n"
                    + agent.logTail());
        }
    }

    static Object engine(URI controller, String fn) throws Exception {
        Object engine = ControllerApi.function(controller, fn).get("engine");
        return engine instanceof Map<?, ?> m ? m.get("running") : null;
    }

    /** The container's processes, in the host's pid namespace. */
    static Set<Long> pids(Container c) {
        return Docker.ok("top", c.name, "-eo", "pid")
                .lines()
                .map(String::strip)
                .filter(l -> l.matches("\\d+"))
                .map(Long::parseLong)
                .collect(Collectors.toSet());
    }

    /** Requests the function back to back from a thread of its own, counting answers and failures. */
    static final class Load implements AutoCloseable {
        final AtomicLong answered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Load(URI url) {
            this(() -> url);
        }

        /** Each request to the URL {@code next} gives then (a gateway's choice among live instances). */
        Load(Supplier<URI> next) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (Http.get(next.get()).statusCode() == 200) {
                            answered.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }
}
