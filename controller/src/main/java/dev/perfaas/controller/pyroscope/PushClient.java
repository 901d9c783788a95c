package dev.perfaas.controller.pyroscope;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One Connect unary call to Pyroscope's push.v1.PusherService/Push (connectrpc.com/docs/protocol):
 * POST, {@code application/proto}, {@code Connect-Protocol-Version: 1}, the deadline in
 * {@code Connect-Timeout-Ms}; 200 is success, an error is a non-200 status with a JSON body
 * {@code {"code": ..., "message": ...}}. The status decides what happens to the profile.
 */
final class PushClient {

    static final String PATH = "/push.v1.PusherService/Push";
    /** What of an answer's body is kept for the log: a Connect error's code and message fit. */
    private static final int SHOWN_BYTES = 300;

    /** What became of one push. {@code refusal} is set for REFUSED, {@code detail} says what was answered. */
    record Answer(Outcome outcome, PushRefusal refusal, String detail) {}

    enum Outcome {
        PUSHED,
        /** 429, a 5xx, a timeout or a connection that failed: try again later. */
        RETRY,
        /** Any other answer: dropped and counted. */
        REFUSED
    }

    private final HttpClient http;
    private final URI endpoint;
    private final Optional<String> tenant;
    private final PushAuth auth;
    private final Duration timeout;

    PushClient(URI base, Optional<String> tenant, PushAuth auth, Duration timeout) {
        String b = base.toString();
        this.endpoint = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + PATH);
        this.tenant = tenant;
        this.auth = auth;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI endpoint() {
        return endpoint;
    }

    Answer push(byte[] body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/proto")
                .header("Connect-Protocol-Version", "1")
                .header("Connect-Timeout-Ms", Long.toString(timeout.toMillis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        tenant.ifPresent(t -> request.header("X-Scope-OrgID", t));
        int status;
        String detail;
        try {
            if (auth != null) {
                request.header("Authorization", auth.header());
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream answer = response.body()) {
                detail = status + " " + new String(answer.readNBytes(SHOWN_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException e) { // a timeout (HttpTimeoutException), a refused or cut connection, an unreadable secret
            return new Answer(Outcome.RETRY, null, e.toString());
        }
        if (status == 200) {
            return new Answer(Outcome.PUSHED, null, detail);
        }
        if (status == 429 || status >= 500) {
            return new Answer(Outcome.RETRY, null, detail);
        }
        return new Answer(Outcome.REFUSED, PushRefusal.ofStatus(status), detail);
    }
}
