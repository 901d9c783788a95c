package dev.perfaas.hook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The hook's side of the HTTP protocol (docs/protocol.md). Called only from the hook's own threads,
 * each request on the calling thread ({@link HttpURLConnection}, one connection a request): the
 * JDK's {@code HttpClient} hopped through a selector thread and an executor and cost ~4.5 ms of CPU
 * a request, most of what an idle function paid (BENCHMARKS.md, section 9).
 */
final class ControllerClient {
    /** The controller refused the request for good (4xx): sending it again will not help. */
    static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    /** The call ids the controller takes: 1-128 printable ASCII characters, no space. */
    private static final Pattern CALL_ID = Pattern.compile("[!-~]{1,128}");

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** The most of an answer's body read: the policy is a few hundred bytes, an error is abbreviated. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HookConfig config;
    /**
     * Ends a request at its deadline by closing its connection: {@link HttpURLConnection} times out
     * connects and reads but not writes, and a controller that stops reading an upload would hold
     * the sending thread for good. Its one thread starts with a request and ends a second after.
     */
    private final ScheduledThreadPoolExecutor deadlines;
    /** The requests under way, for {@link #abort}. */
    private final Set<HttpURLConnection> open = ConcurrentHashMap.newKeySet();

    /** {@code cpu}: where the deadline thread counts (the hook's CPU, not the function's). */
    ControllerClient(HookConfig config, CpuAccount cpu) {
        this.config = config;
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> cpu.newThread(r, "perfaas-http-deadline"));
        deadlines.setRemoveOnCancelPolicy(true);
        deadlines.setKeepAliveTime(1, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
    }

    /**
     * Fails the requests under way now (their senders get an {@link IOException} and keep what they
     * sent): blocking socket I/O ignores interrupts, and a hook closing must not wait out an upload.
     */
    void abort() {
        for (HttpURLConnection c : open) {
            c.disconnect();
        }
    }

    Policy fetchPolicy() throws IOException, InterruptedException {
        URI uri = config.controller()
                .resolve("/v1/policy/" + encode(config.function()) + "?instance=" + encode(config.instance()));
        Answer a = send(request(uri, "GET"), 5, null, 0);
        check("policy", a);
        return Policy.fromJson(a.body());
    }

    void postReport(String json) throws IOException, InterruptedException {
        HttpURLConnection c = request(config.controller().resolve("/v1/reports"), "POST");
        c.setRequestProperty("Content-Type", "application/json");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        check("report", send(c, 10, out -> out.write(body), body.length));
    }

    void postProfile(Outbox.Profile p) throws IOException, InterruptedException {
        HttpURLConnection c = described(
                request(config.controller().resolve("/v1/profiles/" + encode(config.function())), "POST"),
                p.windowStartMillis(),
                p.engine(),
                p.frequencyHz(),
                p.clockOffsetNanos());
        check("profile", sendFile(c, p.file()));
    }

    void postSlowCall(SlowCall c) throws IOException, InterruptedException {
        HttpURLConnection h = described(
                request(config.controller().resolve("/v1/profiles/" + encode(config.function()) + "/slow"), "POST"),
                c.startMillis(),
                SlowCall.ENGINE,
                c.frequencyHz(),
                c.clockOffsetNanos());
        h.setRequestProperty("X-Perfaas-Latency-Millis", Double.toString(c.latencyMillis()));
        h.setRequestProperty("X-Perfaas-Threshold-Millis", Long.toString(c.thresholdMillis()));
        h.setRequestProperty("X-Perfaas-Call-Ended", Boolean.toString(c.ended()));
        if (c.callId() != null && CALL_ID.matcher(c.callId()).matches()) {
            h.setRequestProperty("X-Perfaas-Call-Id", c.callId());
        }
        Answer a = sendFile(h, c.file());
        // Over the function's rate limit: sending it again later would only take a later call's place.
        if (a.status() == 429) {
            throw new Rejected("controller answered 429 to the slow call: " + abbreviate(a.body()));
        }
        check("slow call", a);
    }

    /** The headers of every profile upload: what the body is, whose, and what sampled it. */
    private HttpURLConnection described(
            HttpURLConnection c, long windowMillis, String engine, double frequencyHz, long clockOffsetNanos) {
        c.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
        c.setRequestProperty("Content-Encoding", "gzip");
        c.setRequestProperty("X-Perfaas-Instance", config.instance());
        c.setRequestProperty("X-Perfaas-Window", Long.toString(windowMillis));
        c.setRequestProperty("X-Perfaas-Engine", engine);
        c.setRequestProperty(
                "X-Perfaas-Frequency-Hz",
                frequencyHz == Math.rint(frequencyHz)
                        ? Long.toString((long) frequencyHz)
                        : Double.toString(frequencyHz));
        c.setRequestProperty("X-Perfaas-Clock-Offset-Nanos", Long.toString(clockOffsetNanos));
        if (config.version() != null) {
            c.setRequestProperty("X-Perfaas-Version", config.version());
        }
        return c;
    }

    /**
     * A request on a connection of its own, closed after the answer ({@link #send}): requests come
     * seconds apart here, and a connection kept alive that long may be closed by the other end as it is
     * used again. ("Connection: close" made the JDK's own HTTP server, which tests play the controller
     * with, reset one connection in a few hundred.)
     */
    private HttpURLConnection request(URI uri, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(method);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        if (config.token() != null && !config.token().isEmpty()) {
            c.setRequestProperty("Authorization", "Bearer " + config.token());
        }
        return c;
    }

    /** The body a request writes. */
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What the controller answered: its status and the start of its body. */
    private record Answer(int status, String body) {}

    private Answer sendFile(HttpURLConnection c, Path file) throws IOException, InterruptedException {
        return send(c, 60, out -> Files.copy(file, out), Files.size(file));
    }

    /**
     * Sends {@code c} with {@code body} ({@code length} bytes; null: none) and reads its answer, all
     * within {@code timeoutSeconds}, after which the connection is closed and the request fails.
     */
    private Answer send(HttpURLConnection c, int timeoutSeconds, Body body, long length)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before talking to the controller");
        }
        c.setReadTimeout((int) TimeUnit.SECONDS.toMillis(timeoutSeconds));
        open.add(c);
        ScheduledFuture<?> deadline = deadlines.schedule(c::disconnect, timeoutSeconds, TimeUnit.SECONDS);
        try {
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(length);
                try (OutputStream out = c.getOutputStream()) {
                    body.writeTo(out);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
                }
            }
            return new Answer(status, text); // whole: the deadline, if it came meanwhile, cut nothing
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw new IOException("no answer within " + timeoutSeconds + " s", e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
            open.remove(c);
            c.disconnect();
        }
    }

    private static void check(String what, Answer a) throws IOException {
        int status = a.status();
        if (status / 100 == 2) {
            return;
        }
        String message = "controller answered " + status + " to the " + what + ": " + abbreviate(a.body());
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
