package dev.perfaas.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * The controller's side of the protocol for the sampler's tests: answers every policy request with
 * {@code policy} and keeps the reports and the (gunzipped) profiles it is sent.
 */
final class StandInController implements AutoCloseable {
    final List<String> reports = new CopyOnWriteArrayList<>();
    final List<String> profiles = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StandInController(String policy) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String answer = "{}";
            if (path.startsWith("/v1/policy/")) {
                answer = policy;
            } else if (path.equals("/v1/reports")) {
                reports.add(new String(body, StandardCharsets.UTF_8));
            } else if (path.startsWith("/v1/profiles/")) {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    in.transferTo(text);
                }
                profiles.add(text.toString(StandardCharsets.UTF_8));
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
