package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's profile upload against the protocol's golden request (docs/protocol/profile.http): the
 * same path and protocol headers, the values that are the agent's own (engine, frequency, clock) aside.
 */
class ProfileRequestTest {
    private static final Path GOLDEN = Path.of("../../docs/protocol/profile.http");

    private HttpServer controller;

    @AfterEach
    void stop() {
        controller.stop(0);
    }

    @Test
    void sendsTheGoldenProfileHeaders(@TempDir Path dir) throws Exception {
        Map<String, String> sent = new TreeMap<>();
        String[] requestLine = new String[1];
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        controller.createContext("/", ex -> {
            requestLine[0] = ex.getRequestMethod() + " " + ex.getRequestURI();
            ex.getRequestHeaders().forEach((name, values) -> sent.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(201, -1);
            ex.close();
        });
        controller.start();
        ControllerApi api = new ControllerApi(
                URI.create("http://127.0.0.1:" + controller.getAddress().getPort()), null);
        Instance pi = new Instance("pi", "pi-7d9f-12", 42, Cgroup.parse("0::/docker/x\n", dir), "1.4.2");

        api.postProfile(
                pi, 1_795_440_000_000L, 99, 1_795_439_942_000_000_000L, Files.write(dir.resolve("p.gz"), new byte[] {1
                }));

        List<String> golden = Files.readAllLines(GOLDEN);
        assertEquals(golden.get(0), requestLine[0]);
        Map<String, String> expected = new TreeMap<>();
        for (String header : golden.subList(1, golden.size())) {
            int colon = header.indexOf(':');
            expected.put(
                    header.substring(0, colon).toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        expected.put("x-perfaas-engine", "host-perf");
        expected.put("x-perfaas-frequency-hz", "99");
        Map<String, String> protocol = new TreeMap<>(sent);
        protocol.keySet()
                .removeIf(
                        h -> !h.startsWith("x-perfaas-") && !(h.startsWith("content-") && !h.equals("content-length")));
        assertEquals(expected, protocol);
    }
}
