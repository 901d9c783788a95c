package dev.perfaas.runtime;

import com.openfaas.model.IHandler;
import com.openfaas.model.IResponse;
import com.openfaas.model.Request;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.perfaas.hook.Invocation;
import dev.perfaas.hook.TraceHook;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of-watchdog forwards to. Unlike OpenFaaS's own java17 entrypoint it serves
 * requests concurrently, on a fixed pool started up front and named to the hook, so perf follows
 * exactly these threads from its start. {@code /_/ready} and {@code /_/health} answer the watchdog;
 * every other path goes to the handler, inside the trace hook.
 * <p>A handler tags an invocation with the size of its input, which perfaas sets its memory against,
 * by answering a header {@value #TAG_HEADER} with a whole number >= 0 (lines read, items handled):
 * {@code res.setHeader("X-Perfaas-Tag", String.valueOf(lines))}, no dependency beyond the OpenFaaS
 * model. The header is not sent on to the caller. Without it, or with no such number, the request
 * body's size in bytes is the tag.
 */
final class FunctionServer {
    private static final String READY_PATH = "/_/ready";
    private static final String HEALTH_PATH = "/_/health";
    static final String TAG_HEADER = "X-Perfaas-Tag";
    /** OpenFaaS' gateway names each call; a slow call's profile keeps the name. */
    static final String CALL_ID_HEADER = "X-Call-Id";

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final IHandler handler;
    private final TraceHook hook;

    private FunctionServer(HttpServer server, ThreadPoolExecutor pool, IHandler handler, TraceHook hook) {
        this.server = server;
        this.pool = pool;
        this.handler = handler;
        this.hook = hook;
    }

    static FunctionServer start(InetSocketAddress address, int threads, IHandler handler, TraceHook hook)
            throws IOException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> new Thread(
                        () -> {
                            hook.registerRequestThread();
                            r.run();
                        },
                        "perfaas-request"));
        pool.prestartAllCoreThreads();
        // The JDK server writes headers and body separately; with Nagle on, a kept-alive client
        // (of-watchdog, or Java's HttpClient) waits ~40 ms on delayed ACKs for every response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(address, 128);
        FunctionServer fs = new FunctionServer(http, pool, handler, hook);
        http.createContext("/", fs::serve);
        http.setExecutor(pool);
        // Just before the first accept: whatever arrives is served from here on, so ready <= first invocation.
        hook.ready();
        http.start();
        return fs;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(1);
        pool.shutdown();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (READY_PATH.equals(path) || HEALTH_PATH.equals(path)) {
                // The handler is loaded before the server starts: answering at all means ready.
                respond(exchange, 200, Map.of(), "text/plain", "OK");
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request request = toRequest(exchange, body);
            Invocation inv = hook.begin(request.getHeaders().get(CALL_ID_HEADER));
            IResponse response = null;
            boolean failed = true;
            try {
                response = handler.Handle(request);
                failed = response == null || response.getStatusCode() >= 500;
                inv.tag(tag(response, body.length));
            } catch (RuntimeException | Error e) {
                System.err.println("perfaas runtime: handler failed: " + e);
                e.printStackTrace();
            } finally {
                hook.end(inv, failed);
            }
            if (response == null) {
                respond(exchange, 500, Map.of(), "text/plain", "handler failed (see the function's log)");
            } else {
                respond(
                        exchange,
                        response.getStatusCode(),
                        response.getHeaders(),
                        response.getContentType(),
                        response.getBody());
            }
            hook.answered(); // the first one starts the hook's threads: nothing of theirs before the cold answer
        }
    }

    /** The handler's {@value #TAG_HEADER}, else the request body's size. */
    static long tag(IResponse response, long bodyBytes) {
        if (response == null || response.getHeaders() == null) {
            return bodyBytes;
        }
        for (Map.Entry<String, String> h : response.getHeaders().entrySet()) {
            if (TAG_HEADER.equalsIgnoreCase(h.getKey()) && h.getValue() != null) {
                try {
                    long units = Long.parseLong(h.getValue().trim());
                    return units >= 0 ? units : bodyBytes;
                } catch (NumberFormatException e) {
                    return bodyBytes;
                }
            }
        }
        return bodyBytes;
    }

    private static Request toRequest(HttpExchange exchange, byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        // The JDK server rewrites header names (X-Call-Id arrives as X-call-id): look them up case-insensitively.
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!h.getValue().isEmpty()) {
                headers.put(h.getKey(), h.getValue().get(0));
            }
        }
        String query = exchange.getRequestURI().getRawQuery();
        return new Request(
                body,
                headers,
                query == null ? "" : query,
                exchange.getRequestURI().getRawPath());
    }

    private static void respond(
            HttpExchange exchange, int status, Map<String, String> headers, String contentType, String body)
            throws IOException {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!TAG_HEADER.equalsIgnoreCase(h.getKey())) {
                exchange.getResponseHeaders().set(h.getKey(), h.getValue());
            }
        }
        if (contentType != null && !contentType.isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
