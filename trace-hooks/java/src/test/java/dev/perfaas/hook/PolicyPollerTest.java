package dev.perfaas.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyPollerTest {
    private static final Policy TRACING = new Policy(1, 99, 60, 10, "async", 1, 0, 0, 0);

    @Test
    void aPolicyExpiresOnlyPastItsDeadlineAndOffNever() {
        long deadline = 1_000_000_000L;
        assertFalse(PolicyPoller.expired(TRACING, deadline, deadline - 1));
        assertFalse(PolicyPoller.expired(TRACING, deadline, deadline));
        assertTrue(PolicyPoller.expired(TRACING, deadline, deadline + 1));
        assertFalse(PolicyPoller.expired(Policy.OFF, deadline, deadline + 1));
        assertTrue(PolicyPoller.expired(TRACING, Long.MAX_VALUE, Long.MIN_VALUE), "System.nanoTime() may wrap");
    }

    @Test
    void anIdleHookFetchesLessOftenAndTheNextInvocationFetchesAtOnce(@TempDir Path spool) throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        controller.createContext("/v1/policy/", ex -> {
            fetches.incrementAndGet();
            byte[] body =
                    "{\"fraction\":0.5,\"frequencyHz\":19,\"windowSeconds\":60,\"refreshSeconds\":1,\"engine\":\"async\",\"version\":1}"
                            .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        controller.start();
        ControllerClient client = new ControllerClient(
                HookConfigs.local(controller.getAddress().getPort(), "perf", spool), new CpuAccount());
        PolicyPoller poller = new PolicyPoller(client, p -> {}, () -> {}, r -> {
            Thread t = new Thread(r, "test-policy");
            t.setDaemon(true);
            return t;
        });
        try {
            poller.start();
            // The first fetch, then one a period later that finds no invocation since: the next is IDLE_REFRESHES
            // periods off.
            await().atMost(Duration.ofSeconds(30)).until(() -> fetches.get() >= 2);
            Thread.sleep(3_000); // a tenth of the idle wait: no fetch can come before it, however slow the machine
            assertEquals(2, fetches.get(), "an idle hook waits " + PolicyPoller.IDLE_REFRESHES + " periods");
            poller.invocationStarted();
            await().atMost(Duration.ofSeconds(30)).until(() -> fetches.get() >= 3);
            poller.invocationStarted(); // busy again: no second wake, the next fetch a period on
            Thread.sleep(200);
            assertEquals(3, fetches.get(), "one wake per idle spell");
        } finally {
            poller.stop();
            controller.stop(0);
        }
    }
}
