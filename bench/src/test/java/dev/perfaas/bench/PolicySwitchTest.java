package dev.perfaas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The switch against a stand-in controller answering the protocol's golden policy. */
class PolicySwitchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger reports = new AtomicInteger();
    private HttpServer controller;
    private PolicySwitch policySwitch;
    private byte[] policy;

    @BeforeEach
    void start() throws Exception {
        policy = Files.readAllBytes(Path.of("..", "docs", "protocol", "policy.json"));
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        controller.createContext("/v1/policy/pi", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, policy.length);
            ex.getResponseBody().write(policy);
            ex.close();
        });
        controller.createContext("/v1/reports", ex -> {
            ex.getRequestBody().readAllBytes();
            reports.incrementAndGet();
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        controller.start();
        policySwitch = new PolicySwitch(
                URI.create("http://127.0.0.1:" + controller.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        policySwitch.close();
        controller.stop(0);
    }

    @Test
    void onForwardsAsItIsOffTracesNothingAndKeepsReportsFromTheLoop() throws Exception {
        JsonNode golden = JSON.readTree(policy);
        assertEquals(golden, JSON.readTree(get("/v1/policy/pi?instance=pi-1")));
        assertEquals(202, postReport());
        assertEquals(1, reports.get());

        policySwitch.on(false);
        JsonNode off = JSON.readTree(get("/v1/policy/pi?instance=pi-1"));
        assertEquals(0, off.get("fraction").asDouble());
        assertEquals(0, off.get("slowCallMillis").asLong());
        assertEquals(golden.get("frequencyHz"), off.get("frequencyHz"), "the rest as the controller answered it");
        assertEquals(golden.get("version"), off.get("version"));
        assertEquals(202, postReport());
        assertEquals(1, reports.get(), "a report while off does not reach the controller");

        policySwitch.on(true);
        assertEquals(golden, JSON.readTree(get("/v1/policy/pi?instance=pi-1")));
        assertEquals(202, postReport());
        assertEquals(2, reports.get());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(policySwitch.url.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private int postReport() throws Exception {
        return client.send(
                        HttpRequest.newBuilder(policySwitch.url.resolve("/v1/reports"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"function\":\"pi\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
