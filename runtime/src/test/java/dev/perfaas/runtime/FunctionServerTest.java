package dev.perfaas.runtime;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openfaas.model.IRequest;
import com.openfaas.model.IResponse;
import com.openfaas.model.Response;
import dev.perfaas.hook.HookConfig;
import dev.perfaas.hook.TraceHook;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime's request handling over real HTTP, as of-watchdog forwards it, row by row: what the
 * handler is given (headers looked up in any case, the body, the query, the path) and what the caller
 * gets back (status, headers, body), including a handler that throws or answers nothing.
 */
class FunctionServerTest {
    @TempDir
    static Path spool;

    private static TraceHook hook;
    private static FunctionServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Echoes what it was given as {@code header|body|query|path} (no query: empty), by path: /status/N answers N, /boom
     * throws, /nothing answers null, /tagged sets the tag header beside one of its own.
     */
    private static IResponse handle(IRequest req) {
        String path = req.getPathRaw();
        if (path.equals("/boom")) {
            throw new IllegalStateException("boom");
        }
        if (path.equals("/nothing")) {
            return null;
        }
        Response res = new Response();
        if (path.startsWith("/status/")) {
            res.setStatusCode(Integer.parseInt(path.substring("/status/".length())));
        }
        if (path.equals("/tagged")) {
            res.setHeader("X-Perfaas-Tag", "12");
            res.setHeader("X-Kept", "yes");
        }
        res.setContentType("text/plain");
        res.setBody(req.getHeader("x-CALL-id") + "|" + req.getBody() + "|" + req.getQueryRaw() + "|" + path);
        return res;
    }

    @BeforeAll
    static void start() throws Exception {
        hook = TraceHook.start(new HookConfig(
                "fn", "fn-1", URI.create("http://127.0.0.1:9"), null, null, "perf", spool, false, null, 0));
        server = FunctionServer.start(new InetSocketAddress("127.0.0.1", 0), 4, FunctionServerTest::handle, hook);
    }

    @AfterAll
    static void stop() {
        server.stop();
        hook.close();
    }

    record Row(
            String name,
            String method,
            String pathAndQuery,
            Map<String, String> headers,
            String body,
            int status,
            String responseBody,
            Map<String, Optional<String>> responseHeaders) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row(
                        "a header is found whatever its case",
                        "GET",
                        "/",
                        Map.of("X-Call-Id", "c-1"),
                        null,
                        200,
                        "c-1|||/",
                        Map.of()),
                new Row(
                        "the body, query and path reach the handler",
                        "POST",
                        "/sum?a=1&b=2",
                        Map.of(),
                        "1 2",
                        200,
                        "null|1 2|a=1&b=2|/sum",
                        Map.of()),
                new Row(
                        "the handler's status and content type go back",
                        "GET",
                        "/status/404",
                        Map.of(),
                        null,
                        404,
                        "null|||/status/404",
                        Map.of("Content-Type", Optional.of("text/plain"))),
                new Row(
                        "the tag header is the runtime's, the handler's others go back",
                        "GET",
                        "/tagged",
                        Map.of(),
                        null,
                        200,
                        "null|||/tagged",
                        Map.of("X-Kept", Optional.of("yes"), "X-Perfaas-Tag", Optional.empty())),
                new Row(
                        "a handler that throws answers 500",
                        "GET",
                        "/boom",
                        Map.of(),
                        null,
                        500,
                        "handler failed (see the function's log)",
                        Map.of()),
                new Row(
                        "a handler that answers nothing answers 500",
                        "GET",
                        "/nothing",
                        Map.of(),
                        null,
                        500,
                        "handler failed (see the function's log)",
                        Map.of()),
                new Row(
                        "readiness is the runtime's, not the handler's",
                        "GET",
                        "/_/ready",
                        Map.of(),
                        null,
                        200,
                        "OK",
                        Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void handlesTheRequest(Row row) throws Exception {
        HttpResponse<String> r = send(row);
        assertAll(
                row.name(),
                () -> assertEquals(row.status(), r.statusCode(), "status"),
                () -> assertEquals(row.responseBody(), r.body(), "body"),
                () -> row.responseHeaders()
                        .forEach(
                                (name, value) -> assertEquals(value, r.headers().firstValue(name), name)));
    }

    @Test
    void afterAHandlerFailureEveryThreadStillServes() throws Exception {
        for (int i = 0; i < 8; i++) {
            assertEquals(
                    500,
                    send(rows().filter(r -> r.pathAndQuery().equals("/boom"))
                                    .findFirst()
                                    .orElseThrow())
                            .statusCode());
        }
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r =
                    HTTP.send(HttpRequest.newBuilder(url("/?n=" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("null||n=" + i + "|/", r.body());
        }
    }

    /** The handler's tag header, in any case, when it is a whole number >= 0; else the body's size (100). */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "X-Perfaas-Tag | 12   | 12",
                "x-perfaas-tag | ' 7 '| 7",
                "X-Perfaas-Tag | 0    | 0",
                "X-Perfaas-Tag | -1   | 100",
                "X-Perfaas-Tag | many | 100",
                "X-Other       | 12   | 100",
                "none          | none | 100",
            })
    void theTagIsTheHandlersWholeNumberElseTheBodySize(String name, String value, long tag) {
        Response res = new Response();
        if (name != null) {
            res.setHeader(name, value);
        }
        assertEquals(tag, FunctionServer.tag(res, 100));
    }

    private static HttpResponse<String> send(Row row) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(row.pathAndQuery()));
        row.headers().forEach(b::header);
        b.method(
                row.method(),
                row.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(row.body()));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }
}
