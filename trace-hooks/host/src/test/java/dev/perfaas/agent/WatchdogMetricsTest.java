package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogMetricsTest {
    /**
     * of-watchdog's page as its metrics/http.go registers the series (labels code and method,
     * Prometheus's default buckets) and client_golang writes them; Go's own series beside them.
     */
    private static final String PAGE = page(90, 95, 100, 100, 0.45);

    /** A page whose 200 GETs count these (cumulative) per bound and in all, with their summed seconds. */
    private static String page(long le5ms, long le10ms, long le25ms, long all, double sum) {
        return """
                # HELP go_goroutines Number of goroutines that currently exist.
                # TYPE go_goroutines gauge
                go_goroutines 11
                # HELP http_request_duration_seconds Seconds spent serving HTTP requests.
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{code="200",method="get",le="0.005"} %1$d
                http_request_duration_seconds_bucket{code="200",method="get",le="0.01"} %2$d
                http_request_duration_seconds_bucket{code="200",method="get",le="0.025"} %3$d
                http_request_duration_seconds_bucket{code="200",method="get",le="+Inf"} %4$d
                http_request_duration_seconds_sum{code="200",method="get"} %5$s
                http_request_duration_seconds_count{code="200",method="get"} %4$d
                http_request_duration_seconds_bucket{code="500",method="post",le="0.005"} 0
                http_request_duration_seconds_bucket{code="500",method="post",le="0.01"} 0
                http_request_duration_seconds_bucket{code="500",method="post",le="0.025"} 1
                http_request_duration_seconds_bucket{code="500",method="post",le="+Inf"} 2
                http_request_duration_seconds_sum{code="500",method="post"} 12.02
                http_request_duration_seconds_count{code="500",method="post"} 2
                # HELP http_requests_in_flight total HTTP requests in-flight
                # TYPE http_requests_in_flight gauge
                http_requests_in_flight 0
                # HELP http_requests_total total HTTP requests processed
                # TYPE http_requests_total counter
                http_requests_total{code="200",method="get"} %4$d
                http_requests_total{code="500",method="post"} 2
                """.formatted(le5ms, le10ms, le25ms, all, Double.toString(sum));
    }

    @Test
    void seriesAreSummedOverCodesAndMethods() {
        WatchdogMetrics.Counters c = WatchdogMetrics.parse(PAGE);
        assertEquals(102, c.requests());
        assertEquals(12.47, c.sumSeconds(), 1e-9);
        assertEquals(new TreeMap<>(Map.of(5_000_000L, 90L, 10_000_000L, 95L, 25_000_000L, 101L)), c.buckets());
        assertNull(WatchdogMetrics.parse("go_goroutines 11\n"), "not a watchdog's page");
    }

    @Test
    void aWindowIsTheGrowthPerBucketAboveTheLastBoundLeftToRequests() {
        WatchdogMetrics.Counters before = WatchdogMetrics.parse(PAGE);
        WatchdogMetrics.Counters after = WatchdogMetrics.parse(page(98, 104, 109, 110, 0.5));
        Map<String, Object> w = WatchdogMetrics.growth(before, after);
        assertEquals(10L, w.get("requests"));
        assertEquals(50_000_000L, w.get("latencySumNanos"));
        @SuppressWarnings("unchecked")
        List<long[]> buckets = (List<long[]>) w.get("durationBuckets");
        assertEquals(2, buckets.size(), "empty buckets left out");
        assertEquals(List.of(5_000_000L, 8L), List.of(buckets.get(0)[0], buckets.get(0)[1]));
        assertEquals(List.of(10_000_000L, 1L), List.of(buckets.get(1)[0], buckets.get(1)[1]));
        assertEquals(
                Map.of("requests", 10L, "latencySumNanos", 0L, "durationBuckets", List.of()),
                WatchdogMetrics.growth(
                        WatchdogMetrics.parse(page(0, 0, 0, 0, 0)), WatchdogMetrics.parse(page(0, 0, 0, 10, 0))),
                "requests above the last bound are in requests alone");
    }

    /** /proc/net/tcp6 as the kernel writes it: of-watchdog's Go listener is dual-stack on [::]:8081. */
    @Test
    void thePortIsFoundListeningInTheInstancesNamespace(@TempDir Path dir) throws IOException {
        Path tcp6 = dir.resolve("tcp6");
        String header = "  sl  local_address                         remote_address                        st tx_queue"
                + " rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Files.writeString(
                tcp6,
                header
                        + "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000"
                        + " 00:00000000 00000000 65534        0 1 1 0000000000000000 100 0 0 10 0\n");
        assertFalse(WatchdogMetrics.listening(tcp6, WatchdogMetrics.PORT), "8080, not 8081");
        Files.writeString(
                tcp6,
                header
                        + "   0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 01 00000000:00000000"
                        + " 00:00000000 00000000 65534        0 1 1 0000000000000000 100 0 0 10 0\n");
        assertFalse(WatchdogMetrics.listening(tcp6, WatchdogMetrics.PORT), "a connection, not a listener");
        Files.writeString(
                tcp6,
                header
                        + "   0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000"
                        + " 00:00000000 00000000 65534        0 1 1 0000000000000000 100 0 0 10 0\n");
        assertTrue(WatchdogMetrics.listening(tcp6, WatchdogMetrics.PORT));
        assertFalse(WatchdogMetrics.listening(dir.resolve("tcp"), WatchdogMetrics.PORT), "no such table");
    }

    /**
     * End to end on this host: a server in this process's network namespace serving a watchdog's page,
     * found through the real /proc (listening, same namespace: 127.0.0.1), scraped, and each window
     * the growth since the last; nothing once it stops listening.
     */
    @Test
    void aWatchdogInTheAgentsNamespaceIsFoundAndScraped() throws IOException {
        AtomicReference<String> page = new AtomicReference<>(page(90, 95, 100, 100, 0.45));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = page.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        WatchdogMetrics w =
                new WatchdogMetrics(Path.of("/proc"), ProcessHandle.current().pid(), port);
        try {
            assertEquals("127.0.0.1", w.address());
            assertNull(w.window(), "the first reading: no window yet");
            page.set(page(98, 104, 109, 110, 0.5));
            assertEquals(10L, w.window().get("requests"));
            assertEquals(0L, w.window().get("requests"), "nothing since");
        } finally {
            server.stop(0);
        }
        assertNull(w.address(), "no longer listening");
        assertNull(w.window());
    }

    /** A pod's /proc/net/fib_trie: its CNI address is the first local one not on loopback. */
    @Test
    void aPodIsReachedAtItsLocalAddress() {
        String fib = """
                Main:
                  +-- 0.0.0.0/0 3 0 5
                     |-- 0.0.0.0
                        /0 universe UNICAST
                     +-- 10.62.0.0/16 2 0 2
                        |-- 10.62.0.0
                           /16 link UNICAST
                        |-- 10.62.0.17
                           /32 host LOCAL
                  +-- 127.0.0.0/8 2 0 2
                     |-- 127.0.0.1
                        /32 host LOCAL
                Local:
                  +-- 0.0.0.0/0 3 0 5
                     |-- 127.0.0.1
                        /32 host LOCAL
                     |-- 10.62.0.17
                        /32 host LOCAL
                """;
        assertEquals("10.62.0.17", WatchdogMetrics.localAddress(fib));
        assertNull(WatchdogMetrics.localAddress("Local:\n  |-- 127.0.0.1\n     /32 host LOCAL\n"));
    }
}
