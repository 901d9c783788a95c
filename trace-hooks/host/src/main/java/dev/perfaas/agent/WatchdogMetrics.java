package dev.perfaas.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One instance's of-watchdog metrics (port 8081, {@code http_requests_total} and
 * {@code http_request_duration_seconds} by code and method, for any language), where that port
 * listens in the instance's network namespace: read from its {@code /proc/<pid>/net/tcp} and
 * {@code tcp6}, so the agent neither guesses nor probes. It is reached at 127.0.0.1 when the instance
 * shares the agent's network namespace (Docker's host network), else at the namespace's first local
 * IPv4 address that is not loopback ({@code /proc/<pid>/net/fib_trie}: a pod's or faasd's CNI
 * address). Each window's figures are the counters' growth since the last scrape, summed over codes
 * and methods; a watchdog that restarted (a counter went down) counts from zero.
 */
final class WatchdogMetrics {
    /** of-watchdog's metrics port: fixed in its source (config.go), not configurable. */
    static final int PORT = 8081;
    /** The watchdog serves /metrics with 500 ms timeouts of its own. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** A watchdog's page is a few KB; a larger one is not a watchdog's. */
    private static final int MAX_BODY = 1 << 20;

    private static final String LISTEN = "0A";

    /**
     * Cumulative counters as one scrape read them.
     *
     * @param buckets cumulative requests per upper bound, ns (Prometheus's {@code le}, +Inf left out)
     */
    record Counters(long requests, double sumSeconds, TreeMap<Long, Long> buckets) {}

    private final Path proc;
    private final long hostPid;
    private final int port;
    private final HttpClient http;
    private Counters previous;

    WatchdogMetrics(Path proc, long hostPid) {
        this(proc, hostPid, PORT);
    }

    /** {@code port}: of-watchdog's, but for tests that cannot take 8081 on a shared host. */
    WatchdogMetrics(Path proc, long hostPid, int port) {
        this.proc = proc;
        this.hostPid = hostPid;
        this.port = port;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * The report's {@code watchdog} object for the window since the last call (docs/protocol.md), or
     * null when the port is not there, does not answer, or this is the first reading (no window yet).
     */
    Map<String, Object> window() {
        Counters now = scrape();
        Counters before = previous;
        previous = now;
        if (now == null || before == null) {
            return null;
        }
        boolean restarted = now.requests() < before.requests();
        Counters base = restarted ? new Counters(0, 0, new TreeMap<>()) : before;
        return growth(base, now);
    }

    /** The window's figures: requests, their summed latency, and per bucket (not cumulative, empty ones left out). */
    static Map<String, Object> growth(Counters before, Counters now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", now.requests() - before.requests());
        m.put("latencySumNanos", Math.max(0, Math.round((now.sumSeconds() - before.sumSeconds()) * 1e9)));
        List<long[]> buckets = new ArrayList<>();
        long below = 0;
        for (Map.Entry<Long, Long> b : now.buckets().entrySet()) {
            long cumulative = Math.max(0, b.getValue() - before.buckets().getOrDefault(b.getKey(), 0L));
            if (cumulative > below) {
                buckets.add(new long[] {b.getKey(), cumulative - below});
                below = cumulative;
            }
        }
        m.put("durationBuckets", buckets);
        return m;
    }

    private Counters scrape() {
        String host = address();
        if (host == null) {
            return null;
        }
        try {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length > MAX_BODY) {
                return null;
            }
            return parse(new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The watchdog's series in Prometheus's text format, summed over their labels; null when it has none. */
    static Counters parse(String text) {
        long requests = 0;
        double sum = 0;
        boolean found = false;
        TreeMap<Long, Long> buckets = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int end = line.lastIndexOf(' ');
            if (end < 0) {
                continue;
            }
            String series = line.substring(0, end).strip();
            double value;
            try {
                value = Double.parseDouble(line.substring(end + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            switch (name) {
                case "http_requests_total" -> {
                    requests += Math.round(value);
                    found = true;
                }
                case "http_request_duration_seconds_sum" -> sum += value;
                case "http_request_duration_seconds_bucket" -> {
                    String le = label(series, "le");
                    if (le != null && !le.equals("+Inf")) {
                        buckets.merge(Math.round(Double.parseDouble(le) * 1e9), Math.round(value), Long::sum);
                    }
                }
                default -> {}
            }
        }
        return found ? new Counters(requests, sum, buckets) : null;
    }

    private static String label(String series, String name) {
        int at = series.indexOf(name + "=\"");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 2;
        int end = series.indexOf('"', start);
        return end < 0 ? null : series.substring(start, end);
    }

    /** Where the port listens for the instance, or null when it does not. */
    String address() {
        Path net = proc.resolve(Long.toString(hostPid)).resolve("net");
        try {
            if (!listening(net.resolve("tcp"), port) && !listening(net.resolve("tcp6"), port)) {
                return null;
            }
            Path mine = proc.resolve("self/ns/net");
            Path theirs = proc.resolve(Long.toString(hostPid)).resolve("ns/net");
            if (Files.readSymbolicLink(mine).equals(Files.readSymbolicLink(theirs))) {
                return "127.0.0.1";
            }
            return localAddress(Files.readString(net.resolve("fib_trie")));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Whether a socket of this /proc/net/tcp(6) table listens on {@code port}. */
    static boolean listening(Path table, int port) throws IOException {
        if (!Files.exists(table)) {
            return false;
        }
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String line : Files.readAllLines(table)) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                return true;
            }
        }
        return false;
    }

    /** The first address the table marks {@code /32 host LOCAL} that is not loopback; null when none. */
    static String localAddress(String fibTrie) {
        String last = null;
        for (String line : fibTrie.split("\n")) {
            String t = line.strip();
            if (t.startsWith("|-- ")) {
                last = t.substring(4).strip();
            } else if (t.equals("/32 host LOCAL") && last != null && !last.startsWith("127.")) {
                return last;
            }
        }
        return null;
    }
}
