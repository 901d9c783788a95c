package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Java function built from the perfaas template, its in-process engine handed to the node
 * ({@code PERFAAS_ENGINE=host-perf}), is profiled by the agent from the host with its handler's
 * method named from the JVM's perf map; the same function with its hook on is left to the hook.
 * Both run without the image's HEALTHCHECK, as Kubernetes and faasd run it: Docker execs the check
 * in the container every 5 s, short-lived processes of its cgroup that no pid snapshot can name.
 */
class AgentJavaFunctionTest extends NodeAgentTests {
    private static final String HANDED = "java-host";
    private static final String HOOKED = "java-hooked";
    /** JIT-compiled Java as perf script prints it from /tmp/perf-<pid>.map (copied by the agent). */
    private static final Pattern HANDLER_FRAME = Pattern.compile(
            " double com\\.openfaas\\.function\\.Handler\\.leibnizPi\\(long\\) \\(/tmp/perf-\\d+\\.map\\)$");

    @Test
    void aTemplateFunctionHandedToTheNodeShowsItsHandlerAndAHookedOneIsLeftToItsHook() throws Exception {
        try (FunctionContainer handed = FunctionContainer.start(
                        HANDED,
                        controller.url,
                        List.of("--no-healthcheck", "--label", "faas_function=" + HANDED),
                        Map.of("PERFAAS_ENGINE", "host-perf"));
                FunctionContainer hooked = FunctionContainer.start(
                        HOOKED,
                        controller.url,
                        List.of("--no-healthcheck", "--label", "faas_function=" + HOOKED),
                        Map.of());
                HostAgentTest.Load handedLoad = new HostAgentTest.Load(handed.url.resolve("/?terms=2000000"));
                HostAgentTest.Load hookedLoad = new HostAgentTest.Load(hooked.url.resolve("/?terms=2000000"));
                NodeAgentProcess agent = NodeAgentProcess.start(controller.url, work.resolve("agent"))) {
            Path profile =
                    HostAgentTest.awaitProfileWith(controller.stacks, HANDED, HANDLER_FRAME, agent, handed.container);
            long samples = HostAgentTest.checkProfile(
                    profile, HostAgentTest.pids(handed.container), Pattern.compile("Handler\\.leibnizPi"));
            long named = HostAgentTest.samplesWith(profile, HANDLER_FRAME);
            HostAgentTest.assertEngine(controller.url, HANDED, "host-perf", agent);

            // The law at work on the agent's reports: an overhead measured, steps taken.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> measuredOverhead(controller.url, HANDED) != null
                            && !history(controller.url, HANDED).isEmpty());
            Map<String, Object> fn = ControllerApi.function(controller.url, HANDED);

            // The hooked function: its hook reports, the agent never samples it.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> HostAgentTest.engine(controller.url, HOOKED) != null);
            assertNotEquals("host-perf", HostAgentTest.engine(controller.url, HOOKED), "profiled twice");
            assertTrue(
                    agent.logged("not sampled: docker/" + HOOKED + "/"),
                    "the agent did not say it leaves " + HOOKED + " to its hook:\n" + agent.logTail());
            assertFalse(agent.logged("instance found: docker/" + HOOKED + "/"), agent.logTail());

            handedLoad.close();
            hookedLoad.close();
            assertTrue(handedLoad.answered.get() > 0 && hookedLoad.answered.get() > 0, "no request answered");
            assertEquals(0, handedLoad.failed.get() + hookedLoad.failed.get(), "requests failed");
            System.out.printf(
                    "host agent, Java: %s holds %d samples, %d with %s; control %s; hooked engine %s%n",
                    profile.getFileName(),
                    samples,
                    named,
                    HANDLER_FRAME,
                    fn.get("control"),
                    HostAgentTest.engine(controller.url, HOOKED));
        }
    }

    @SuppressWarnings("unchecked")
    private static Object measuredOverhead(URI controller, String fn) throws Exception {
        Object control = ControllerApi.function(controller, fn).get("control");
        return control instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("overhead") : null;
    }

    private static List<?> history(URI controller, String fn) throws Exception {
        return ControllerApi.function(controller, fn).get("history") instanceof List<?> l ? l : List.of();
    }
}
