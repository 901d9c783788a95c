package dev.perfaas.hook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The controller as a hook sees it: one fixed policy, every report body kept in {@code reports} and
 * every profile upload (path, headers, body unzipped) in {@code uploads}.
 */
final class StandInController {
    record Upload(String path, Headers headers, String body) {}

    private StandInController() {}

    /** On 127.0.0.1:{@code port} (0: any free port), started. */
    static HttpServer start(int port, String policy, List<String> reports) throws IOException {
        return start(port, policy, reports, List.of());
    }

    static HttpServer start(int port, String policy, List<String> reports, List<Upload> uploads) throws IOException {
        HttpServer controller = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        byte[] answer = policy.getBytes(StandardCharsets.UTF_8);
        controller.createContext("/v1/policy/", ex -> {
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        controller.createContext("/v1/reports", ex -> {
            reports.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        controller.createContext("/v1/profiles/", ex -> {
            try (InputStream body = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(ex.getRequestBody())
                    : ex.getRequestBody()) {
                uploads.add(new Upload(
                        ex.getRequestURI().getPath(),
                        ex.getRequestHeaders(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8)));
            }
            ex.sendResponseHeaders(201, -1);
            ex.close();
        });
        controller.start();
        return controller;
    }
}
