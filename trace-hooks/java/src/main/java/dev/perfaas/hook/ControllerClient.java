package dev.perfaas.hook;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** The hook's side of the HTTP protocol (docs/protocol.md). Called only from the hook's own threads. */
final class ControllerClient {
    /** The controller refused the request for good (4xx): sending it again will not help. */
    static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    /** The call ids the controller takes: 1-128 printable ASCII characters, no space. */
    private static final Pattern CALL_ID = Pattern.compile("[!-~]{1,128}");

    private final HookConfig config;
    private final CpuAccount cpu;
    /** Built on first use, on a hook thread: the JDK's client costs tens of ms of class loading, off the path to ready. */
    private HttpClient http; // guarded by this

    /** {@code cpu}: where the client's threads count (the hook's CPU, not the function's). */
    ControllerClient(HookConfig config, CpuAccount cpu) {
        this.config = config;
        this.cpu = cpu;
    }

    /**
     * The client's work runs on threads the hook's CPU account counts: its tasks on an executor of
     * hook threads, and its selector thread, which the JDK starts as the client is built, adopted by
     * name (the paired benchmark found these threads' CPU missing from the report, BENCHMARKS.md section 9).
     */
    private synchronized HttpClient http() {
        if (http == null) {
            AtomicInteger n = new AtomicInteger();
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(
                            Executors.newCachedThreadPool(r -> cpu.newThread(r, "perfaas-http-" + n.incrementAndGet())))
                    .build();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && t.getName().startsWith("HttpClient-")) {
                    cpu.adopt(t);
                }
            }
        }
        return http;
    }

    Policy fetchPolicy() throws IOException, InterruptedException {
        URI uri = config.controller()
                .resolve("/v1/policy/" + encode(config.function()) + "?instance=" + encode(config.instance()));
        HttpResponse<String> r =
                http().send(request(uri, Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        check("policy", r);
        return Policy.fromJson(r.body());
    }

    void postReport(String json) throws IOException, InterruptedException {
        HttpRequest req = request(config.controller().resolve("/v1/reports"), Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        check("report", http().send(req, HttpResponse.BodyHandlers.ofString()));
    }

    void postProfile(Outbox.Profile p) throws IOException, InterruptedException {
        HttpRequest req = described(
                        request(
                                config.controller().resolve("/v1/profiles/" + encode(config.function())),
                                Duration.ofSeconds(60)),
                        p.windowStartMillis(),
                        p.engine(),
                        p.frequencyHz(),
                        p.clockOffsetNanos())
                .POST(HttpRequest.BodyPublishers.ofFile(p.file()))
                .build();
        check("profile", http().send(req, HttpResponse.BodyHandlers.ofString()));
    }

    void postSlowCall(SlowCall c) throws IOException, InterruptedException {
        HttpRequest.Builder b = described(
                        request(
                                config.controller().resolve("/v1/profiles/" + encode(config.function()) + "/slow"),
                                Duration.ofSeconds(60)),
                        c.startMillis(),
                        SlowCall.ENGINE,
                        c.frequencyHz(),
                        c.clockOffsetNanos())
                .header("X-Perfaas-Latency-Millis", Double.toString(c.latencyMillis()))
                .header("X-Perfaas-Threshold-Millis", Long.toString(c.thresholdMillis()))
                .header("X-Perfaas-Call-Ended", Boolean.toString(c.ended()));
        if (c.callId() != null && CALL_ID.matcher(c.callId()).matches()) {
            b.header("X-Perfaas-Call-Id", c.callId());
        }
        HttpResponse<String> r = http().send(
                        b.POST(HttpRequest.BodyPublishers.ofFile(c.file())).build(),
                        HttpResponse.BodyHandlers.ofString());
        // Over the function's rate limit: sending it again later would only take a later call's place.
        if (r.statusCode() == 429) {
            throw new Rejected("controller answered 429 to the slow call: " + abbreviate(r.body()));
        }
        check("slow call", r);
    }

    /** The headers of every profile upload: what the body is, whose, and what sampled it. */
    private HttpRequest.Builder described(
            HttpRequest.Builder b, long windowMillis, String engine, double frequencyHz, long clockOffsetNanos) {
        b.header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", config.instance())
                .header("X-Perfaas-Window", Long.toString(windowMillis))
                .header("X-Perfaas-Engine", engine)
                .header(
                        "X-Perfaas-Frequency-Hz",
                        frequencyHz == Math.rint(frequencyHz)
                                ? Long.toString((long) frequencyHz)
                                : Double.toString(frequencyHz))
                .header("X-Perfaas-Clock-Offset-Nanos", Long.toString(clockOffsetNanos));
        if (config.version() != null) {
            b.header("X-Perfaas-Version", config.version());
        }
        return b;
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (config.token() != null && !config.token().isEmpty()) {
            b.header("Authorization", "Bearer " + config.token());
        }
        return b;
    }

    private static void check(String what, HttpResponse<String> r) throws IOException {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String message = "controller answered " + status + " to the " + what + ": " + abbreviate(r.body());
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new Rejected(message);
        }
        throw new IOException(message);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
