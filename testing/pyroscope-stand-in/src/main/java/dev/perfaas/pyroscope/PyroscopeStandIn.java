package dev.perfaas.pyroscope;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for Grafana Pyroscope's push API on loopback (no real Pyroscope runs in perfaas's tests):
 * {@code POST /push.v1.PusherService/Push}, Connect unary with {@code application/proto}. It checks a
 * request as Pyroscope's distributor does before it stores anything (pkg/distributor/distributor.go,
 * pkg/validation/validate.go): a decodable PushRequest, labels with a {@code service_name} and a valid
 * {@code __name__}, no duplicate names, at most 30, legacy label names; each sample gzipped pprof whose
 * time_nanos is inside the ingestion window (1 h). A bad request gets 400 with a Connect error, as
 * Pyroscope answers. A good one gets what {@link #answer} last set: 200 (an empty PushResponse) by
 * default, or an error status. Every request is kept, good or not, in {@link #received}.
 */
public final class PyroscopeStandIn implements AutoCloseable {

    public static final String PATH = "/push.v1.PusherService/Push";
    /** Pyroscope's validation.max-label-names-per-series. */
    static final int MAX_LABELS = 30;
    /** Pyroscope's validation.reject-older-than by default. */
    static final Duration REJECT_OLDER_THAN = Duration.ofHours(1);

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    private static final int PPROF_TIME_NANOS = 9;
    private static final long MAX_BODY = 64L << 20;

    /**
     * One request as it came.
     *
     * @param headers   header names lower-cased, first value each
     * @param body      the body's bytes
     * @param decoded   the PushRequest, null when it did not decode
     * @param status    what the stand-in answered
     * @param problem   why it was refused as invalid, or null
     */
    public record Received(Map<String, String> headers, byte[] body, PushRequest decoded, int status, String problem) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;
    private volatile Duration rejectOlderThan = REJECT_OLDER_THAN;

    private PyroscopeStandIn(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free loopback port. */
    public static PyroscopeStandIn start() throws IOException {
        return start(0);
    }

    /** Listens on {@code port} of loopback (0: a free one). */
    public static PyroscopeStandIn start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        PyroscopeStandIn standIn = new PyroscopeStandIn(server);
        server.createContext("/", standIn::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return standIn;
    }

    /** The base URL to configure as perfaas.pyroscope.url. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What every valid request is answered from now on: 200, or an error status such as 503 or 429. */
    public void answer(int status) {
        answer = status;
    }

    /** Pyroscope's validation.reject-older-than: 1 h unless set; 0 takes any age, as in Pyroscope. */
    public void rejectOlderThan(Duration limit) {
        rejectOlderThan = limit;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The valid requests answered 200. */
    public List<Received> accepted() {
        return received.stream().filter(r -> r.status() == 200).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes((int) MAX_BODY);
            }
            if (!exchange.getRequestMethod().equals("POST")
                    || !exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, headers, body, null, 404, "not_found", "no such procedure", true);
                return;
            }
            if (!"application/proto".equals(headers.get("content-type"))) {
                reply(exchange, headers, body, null, 415, null, "content type " + headers.get("content-type"), true);
                return;
            }
            if (!"1".equals(headers.get("connect-protocol-version"))) {
                reply(
                        exchange,
                        headers,
                        body,
                        null,
                        400,
                        "invalid_argument",
                        "Connect-Protocol-Version must be 1",
                        true);
                return;
            }
            PushRequest request;
            try {
                request = PushRequest.decode(body);
            } catch (IOException e) {
                reply(exchange, headers, body, null, 400, "invalid_argument", "undecodable: " + e.getMessage(), true);
                return;
            }
            String problem = problem(request, System.currentTimeMillis(), rejectOlderThan);
            if (problem != null) {
                reply(exchange, headers, body, request, 400, "invalid_argument", problem, true);
                return;
            }
            int status = answer;
            if (status == 200) {
                received.add(new Received(headers, body, request, 200, null));
                exchange.getResponseHeaders().set("Content-Type", "application/proto");
                exchange.sendResponseHeaders(200, -1); // PushResponse{} is zero bytes
                return;
            }
            reply(exchange, headers, body, request, status, code(status), "stand-in told to answer " + status, false);
        }
    }

    private void reply(
            HttpExchange exchange,
            Map<String, String> headers,
            byte[] body,
            PushRequest decoded,
            int status,
            String code,
            String message,
            boolean invalid)
            throws IOException {
        received.add(new Received(headers, body, decoded, status, invalid ? message : null));
        byte[] json = ("{\"code\":\"" + (code == null ? "unknown" : code) + "\",\"message\":\""
                        + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /** Connect's code for an HTTP status it maps from (connectrpc.com/docs/protocol#error-codes). */
    private static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_argument";
            case 401 -> "unauthenticated";
            case 403 -> "permission_denied";
            case 404 -> "not_found";
            case 429 -> "resource_exhausted";
            case 501 -> "unimplemented";
            case 503 -> "unavailable";
            case 504 -> "deadline_exceeded";
            default -> status >= 500 ? "internal" : "unknown";
        };
    }

    /** Why Pyroscope would refuse the request, or null. */
    static String problem(PushRequest request, long nowMillis, Duration rejectOlderThan) {
        if (request.series().isEmpty()) {
            return "no profiles received";
        }
        for (PushRequest.Series series : request.series()) {
            List<PushRequest.Label> labels = series.labels();
            if (labels.isEmpty() || labels.size() > MAX_LABELS) {
                return labels.size() + " labels; 1 to " + MAX_LABELS + " allowed";
            }
            Set<String> names = new HashSet<>();
            for (PushRequest.Label label : labels) {
                if (!LABEL_NAME.matcher(label.name()).matches() && !label.name().equals("__name__")) {
                    return "invalid label name '" + label.name() + "'";
                }
                if (!names.add(label.name())) {
                    return "duplicate label name '" + label.name() + "'";
                }
            }
            Map<String, String> map = series.labelMap();
            if (!METRIC_NAME.matcher(map.getOrDefault("__name__", "")).matches()) {
                return "invalid metric name";
            }
            if (map.getOrDefault("service_name", "").isEmpty()) {
                return "service name is not provided";
            }
            if (series.samples().isEmpty()) {
                return "no profiles received";
            }
            for (PushRequest.Sample sample : series.samples()) {
                String bad = pprofProblem(sample.rawProfile(), nowMillis, rejectOlderThan);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static String pprofProblem(byte[] raw, long nowMillis, Duration rejectOlderThan) {
        byte[] pprof;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            pprof = in.readNBytes(4 << 20);
        } catch (IOException e) {
            return "raw_profile is not gzipped pprof: " + e;
        }
        try {
            ProtoReader in = new ProtoReader(pprof);
            long timeNanos = 0;
            while (in.more()) {
                long tag = in.tag();
                switch ((int) (tag & 7)) {
                    case ProtoReader.VARINT -> {
                        long v = in.varint();
                        if (tag >>> 3 == PPROF_TIME_NANOS) {
                            timeNanos = v;
                        }
                    }
                    case ProtoReader.LENGTH_DELIMITED -> in.bytes();
                    default -> {
                        return "malformed pprof: wire type " + (tag & 7) + " at the top level";
                    }
                }
            }
            if (timeNanos > 0
                    && !rejectOlderThan.isZero()
                    && timeNanos / 1_000_000 <= nowMillis - rejectOlderThan.toMillis()) {
                return "profile is outside of ingestion window (profile timestamp: " + timeNanos + " ns)";
            }
            return null;
        } catch (IOException e) {
            return "malformed pprof: " + e.getMessage();
        }
    }

    /** The problems of the requests refused as invalid, to show in a failed assertion. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        received.forEach(r -> {
            if (r.problem() != null) {
                problems.add(r.status() + " " + r.problem());
            }
        });
        return problems;
    }
}
