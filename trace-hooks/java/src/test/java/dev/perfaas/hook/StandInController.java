package dev.perfaas.hook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The controller as a hook sees it: one fixed policy, and every report body kept in {@code reports}. */
final class StandInController {
    private StandInController() {}

    /** On 127.0.0.1:{@code port} (0: any free port), started. */
    static HttpServer start(int port, String policy, List<String> reports) throws IOException {
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
        controller.start();
        return controller;
    }
}
