package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Instances of one function come and go under load while the agent samples them: it picks each new
 * one up and drops each one removed, no invocation fails, and the function's profiles hold only its
 * instances' samples. The load goes, as a gateway's would, to the instances in rotation: one is taken
 * out of rotation before it is removed and put in once it answers.
 */
class AgentChurnTest extends NodeAgentTests {
    private static final String FN = "go-churn";
    private static final Pattern FRAME = Pattern.compile(" main\\.collatzSteps \\(");
    private static final int REPLACEMENTS = 2;

    /** One instance: its container and where it answers. */
    private record Instance(Container container, URI url, String id) implements AutoCloseable {
        static Instance start() throws IOException {
            int port = Http.freePort();
            Container c = Container.create(
                    Images.goFunction(),
                    List.of("--network", "host", "-e", "PORT=" + port, "--label", "faas_function=" + FN));
            c.start();
            URI url = URI.create("http://127.0.0.1:" + port + "/?n=20000");
            Ready.awaitOk(url, c);
            return new Instance(c, url, c.inspect("{{.Id}}").strip().substring(0, 12));
        }

        @Override
        public void close() {
            container.close();
        }
    }

    @Test
    void instancesStartedAndRemovedUnderLoadArePickedUpAndDroppedWithNoFailedInvocation() throws Exception {
        List<Instance> running = new ArrayList<>(List.of(Instance.start(), Instance.start()));
        List<URI> rotation =
                new CopyOnWriteArrayList<>(running.stream().map(Instance::url).toList());
        AtomicInteger next = new AtomicInteger();
        Set<Long> pids = new HashSet<>();
        try (HostAgentTest.Load load = new HostAgentTest.Load(
                        () -> rotation.get(Math.floorMod(next.getAndIncrement(), rotation.size())));
                NodeAgentProcess agent = NodeAgentProcess.start(controller.url, work.resolve("agent"))) {
            for (Instance i : running) {
                awaitLog(agent, "instance found: docker/" + FN + "/" + i.id());
            }
            for (int r = 0; r < REPLACEMENTS; r++) {
                Instance fresh = Instance.start();
                running.add(fresh);
                rotation.add(fresh.url());
                awaitLog(agent, "instance found: docker/" + FN + "/" + fresh.id());

                Instance old = running.remove(0);
                rotation.remove(old.url());
                TimeUnit.SECONDS.sleep(1); // the request in flight to it, if any, ends
                pids.addAll(HostAgentTest.pids(old.container()));
                old.close();
                awaitLog(agent, "instance gone: docker/" + FN + "/" + old.id());
            }
            for (Instance i : running) {
                pids.addAll(HostAgentTest.pids(i.container()));
            }
            Path profile = HostAgentTest.awaitProfileWith(
                    controller.stacks, FN, FRAME, agent, running.get(0).container());
            long samples = HostAgentTest.checkProfile(profile, pids, Pattern.compile("^main\\.collatzSteps$"));
            HostAgentTest.assertEngine(controller.url, FN, "host-perf", agent);
            load.close();

            assertEquals(0, load.failed.get(), "invocations failed while instances came and went");
            assertTrue(load.answered.get() > 0, "no invocation answered");
            assertTrue(agent.alive(), agent.logTail());
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> agent.perfProcesses() == running.size());
            System.out.printf(
                    "host agent churn: %d instances replaced under load, %d invocations answered, 0 failed;"
                            + " %s holds %d samples%n",
                    REPLACEMENTS, load.answered.get(), profile.getFileName(), samples);
        } finally {
            running.forEach(Instance::close);
        }
    }

    private static void awaitLog(NodeAgentProcess agent, String line) {
        try {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> agent.logged(line));
        } catch (ConditionTimeoutException e) {
            fail("the agent's log never said '" + line + "':\n" + agent.logTail());
        }
    }
}
