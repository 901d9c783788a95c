package dev.perfaas.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The agent's side of the hook–controller protocol (docs/protocol.md): the same requests a hook sends. */
final class ControllerApi {
    /** The controller refused the request for good (a 4xx other than 408 and 429): sending it again will not help. */
    static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    /** The engine the agent's reports and profiles name. */
    static final String ENGINE = "host-perf";

    private final URI controller;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    ControllerApi(URI controller, String token) {
        this.controller = controller;
        this.token = token;
    }

    Policy policy(String function, String instance) throws IOException, InterruptedException {
        URI uri = controller.resolve("/v1/policy/" + encode(function) + "?instance=" + encode(instance));
        HttpResponse<String> r =
                http.send(request(uri, Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        check("policy", r);
        return Policy.of(json.readTree(r.body()));
    }

    void postReport(Map<String, Object> report) throws IOException, InterruptedException {
        HttpRequest req = request(controller.resolve("/v1/reports"), Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(report)))
                .build();
        check("report", http.send(req, HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * A profile of {@code instance} sampled at {@code frequencyHz}; {@code clockOffsetNanos} maps its
     * sample times (perf's {@code -k CLOCK_MONOTONIC}) to the epoch.
     */
    void postProfile(
            Instance instance, long windowStartMillis, int frequencyHz, long clockOffsetNanos, Path gzippedScript)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(
                        controller.resolve("/v1/profiles/" + encode(instance.function())), Duration.ofSeconds(60))
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", instance.name())
                .header("X-Perfaas-Window", Long.toString(windowStartMillis))
                .header("X-Perfaas-Engine", ENGINE)
                .header("X-Perfaas-Frequency-Hz", Integer.toString(frequencyHz))
                .header("X-Perfaas-Clock-Offset-Nanos", Long.toString(clockOffsetNanos));
        if (instance.version() != null) {
            b.header("X-Perfaas-Version", instance.version());
        }
        check(
                "profile",
                http.send(
                        b.POST(HttpRequest.BodyPublishers.ofFile(gzippedScript)).build(),
                        HttpResponse.BodyHandlers.ofString()));
    }

    /** Epoch minus CLOCK_MONOTONIC nanoseconds now (the JVM's nanoTime is CLOCK_MONOTONIC on Linux). */
    static long clockOffsetNanos() {
        Instant now = Instant.now();
        long mono = System.nanoTime();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static void check(String what, HttpResponse<String> r) throws IOException {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String body = r.body() == null ? "" : r.body();
        String message = "controller answered " + status + " to the " + what + ": "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new Rejected(message);
        }
        throw new IOException(message);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
