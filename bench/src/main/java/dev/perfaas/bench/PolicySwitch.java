package dev.perfaas.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Stands between one traced function and the real controller, so that a bench can turn that function's
 * tracing off and on again without restarting its JVM. On, it forwards every request as it is. Off, it
 * answers the policy with the controller's own, its fraction and slow-call threshold set to 0 (the hook
 * traces nothing and captures no slow call), and keeps the function's window reports from the controller
 * (answered 202, as the controller does): with no report pending the control loop takes no step, so the
 * function resumes at the operating point it left.
 */
final class PolicySwitch implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "connection", "content-length", "transfer-encoding", "keep-alive");

    final URI url;
    private final URI controller;
    private final HttpServer server;
    private volatile boolean on = true;

    PolicySwitch(URI controller) throws IOException {
        this.controller = controller;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "policy-switch");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void on(boolean on) {
        this.on = on;
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean off = !on;
            if (off && "POST".equals(ex.getRequestMethod()) && path.equals("/v1/reports")) {
                byte[] receipt = "{}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(202, receipt.length);
                ex.getResponseBody().write(receipt);
                return;
            }
            HttpURLConnection c = (HttpURLConnection)
                    controller.resolve(ex.getRequestURI().toString()).toURL().openConnection();
            c.setRequestMethod(ex.getRequestMethod());
            c.setConnectTimeout(5_000);
            c.setReadTimeout(30_000);
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                    for (String v : h.getValue()) {
                        c.addRequestProperty(h.getKey(), v);
                    }
                }
            }
            if (body.length > 0) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (off && status == 200 && path.startsWith("/v1/policy/")) {
                answer = new String(answer, StandardCharsets.UTF_8)
                        .replaceAll("\"fraction\"\\s*:\\s*[0-9.eE+-]+", "\"fraction\":0")
                        .replaceAll("\"slowCallMillis\"\\s*:\\s*[0-9]+", "\"slowCallMillis\":0")
                        .getBytes(StandardCharsets.UTF_8);
            }
            for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
                if (h.getKey() != null && !HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                    ex.getResponseHeaders().put(h.getKey(), h.getValue());
                }
            }
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
