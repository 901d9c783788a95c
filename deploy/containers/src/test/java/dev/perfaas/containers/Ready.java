package dev.perfaas.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a container's readiness endpoint; the bound is generous, for a busy 2-core machine. */
final class Ready {
    static final Duration BOUND = Duration.ofSeconds(120);

    private Ready() {}

    /** Returns once GET uri answers 200, or fails with the container's log. */
    static void awaitOk(URI uri, Container container) {
        try {
            await().atMost(BOUND)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> answers200(uri));
        } catch (ConditionTimeoutException e) {
            fail(uri + " did not answer 200 within " + BOUND + " (container running: " + container.running()
                    + "); its log:\n" + container.logTail());
        }
    }

    private static boolean answers200(URI uri) throws InterruptedException {
        try {
            return Http.get(uri).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }
}
