package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's half of the protocol contract: it writes exactly the golden report, reads the golden
 * policy, and sends the golden requests. The controller's tests check the other half against the same
 * files (docs/protocol/), so a field or header renamed on one side only fails one of them.
 */
class ProtocolTest {
    /** Surefire runs in the module's folder, trace-hooks/java. */
    static final Path GOLDEN = Path.of("../../docs/protocol");

    /** Report fields only the node agent sends (protocol.md, reports of the node agent). */
    static final Set<String> AGENT_ONLY = Set.of("cgroup", "watchdog");

    private final List<String> requests = new ArrayList<>();
    private HttpServer controller;

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.stop(0);
        }
    }

    @Test
    void theReportIsExactlyTheGoldenOne() throws IOException {
        Window w = new Window(1_795_440_000_000L);
        w.invocations.add(1200);
        w.traced.add(30);
        w.errors.add(2);
        w.wallNanos.add(9_000_000_000L);
        w.tracedCpuNanos.add(210_000_000);
        w.tracedWallNanos.add(240_000_000);
        w.tracedMeasured.add(30);
        w.controlCpuNanos.add(200_000_000);
        w.controlWallNanos.add(230_000_000);
        w.controlMeasured.add(29);
        w.allocatedBytes.add(48_000_000);
        w.allocationMeasured.add(150);
        w.latency.record(1100);
        w.latency.record(1200);
        w.latency.record(5000);
        w.tracedLatency.record(5000);
        w.noteInFlight(3);
        w.memoryPoints.offer(120, 64_000);
        w.memoryPoints.offer(4000, 2_100_000);
        w.coldStart = new Window.ColdStart(
                812,
                43_000_000,
                640,
                new InstanceIdentity(
                        "1a9ab660-0b1d-44f5-82d9-79d782b92ff2", "pi-7d9f", "/kubepods/pod1/c0", 7, 1_795_439_942_000L));
        Window.Closing closing = new Window.Closing(
                "pi",
                "pi-7d9f-12",
                1_795_440_060_000L,
                new Policy(0.25, 199, 60, 10, "async", 7, 250, 1, 3),
                "async",
                Map.of("perf", "perf_event_open: Operation not permitted"),
                95_000_000,
                31_000_000_000L,
                180_000_000,
                0,
                1500,
                1430,
                false,
                new MemoryGauges.Reading(41_000_000, 268_435_456, 52_000_000, 190_000_000, 210_000_000, 536_870_912));

        Map<String, Object> golden = Json.parseObject(Files.readString(GOLDEN.resolve("report.json")));
        golden.keySet().removeAll(AGENT_ONLY);
        // As parsed objects: the golden file has the agent's fields too, and field order is not part of JSON.
        assertEquals(golden, Json.parseObject(w.toReportJson(closing)));
    }

    @Test
    void theGoldenPolicyIsReadIntoEveryComponent() throws IOException {
        String golden = Files.readString(GOLDEN.resolve("policy.json"));
        assertEquals(new Policy(0.25, 199, 60, 10, "async", 7, 250, 1, 3), Policy.fromJson(golden));
        // The answer names its function too; the hook knows its own. Every other field is a component.
        Set<String> fields = new TreeSet<>(Json.parseObject(golden).keySet());
        fields.remove("function");
        assertEquals(names(Policy.class), fields);
    }

    @Test
    void requestsGoToTheGoldenPathsWithTheGoldenHeaders(@TempDir Path dir) throws Exception {
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        byte[] policy = Files.readAllBytes(GOLDEN.resolve("policy.json"));
        controller.createContext("/", ex -> {
            StringBuilder r = new StringBuilder(ex.getRequestMethod() + " " + ex.getRequestURI());
            ex.getRequestHeaders()
                    .forEach((name, values) ->
                            r.append('\n').append(name).append(": ").append(values.get(0)));
            requests.add(r.toString());
            ex.getRequestBody().readAllBytes();
            boolean policyRequest = ex.getRequestMethod().equals("GET");
            ex.sendResponseHeaders(policyRequest ? 200 : 201, policyRequest ? policy.length : -1);
            if (policyRequest) {
                ex.getResponseBody().write(policy);
            }
            ex.close();
        });
        controller.start();
        ControllerClient client = new ControllerClient(
                new HookConfig(
                        "pi",
                        "pi-7d9f-12",
                        URI.create("http://127.0.0.1:" + controller.getAddress().getPort()),
                        null,
                        null,
                        "perf",
                        dir,
                        true,
                        "1.4.2",
                        0),
                new CpuAccount());

        client.fetchPolicy();
        client.postReport("{}");
        client.postProfile(new Outbox.Profile(
                Files.write(dir.resolve("p.gz"), new byte[] {1}),
                1_795_440_000_000L,
                "async",
                199,
                1_795_439_942_000_000_000L));
        client.postSlowCall(new SlowCall(
                Files.write(dir.resolve("s.gz"), new byte[] {1}),
                1_795_440_000_000L,
                "5bf8a2c1-9d3e-4c67-a0b4-1e2f3a4b5c6d",
                612.5,
                250,
                true,
                40,
                1000.0 / SlowCallWatcher.intervalMillis(250),
                1_795_439_942_000_000_000L));

        assertEquals(
                List.of(golden("policy.http"), golden("report.http"), golden("profile.http"), golden("slow.http")),
                requests.stream().map(ProtocolTest::perfaasPart).toList());
    }

    /**
     * The request line and the headers the protocol defines (Content-*, X-Perfaas-*), sorted, names in
     * lower case as HTTP compares them; the rest (Host, Content-Length, User-Agent, ...) is HTTP's.
     */
    private static String perfaasPart(String request) {
        List<String> lines = request.lines().toList();
        Stream<String> headers = lines.stream()
                .skip(1)
                .map(ProtocolTest::lowerName)
                .filter(l ->
                        (l.startsWith("content-") && !l.startsWith("content-length")) || l.startsWith("x-perfaas-"));
        return Stream.concat(Stream.of(lines.get(0)), headers.sorted()).collect(Collectors.joining("\n"));
    }

    private static String golden(String name) throws IOException {
        return perfaasPart(Files.readString(GOLDEN.resolve(name)));
    }

    private static String lowerName(String header) {
        int colon = header.indexOf(':');
        return header.substring(0, colon).toLowerCase(Locale.ROOT) + header.substring(colon);
    }

    private static Set<String> names(Class<? extends Record> type) {
        return Stream.of(type.getRecordComponents())
                .map(c -> c.getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
