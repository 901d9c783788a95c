package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UplinkTest {

    @Test
    void reportsGoFirstATransientFailureIsRetriedARefusalDropped() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        CountDownLatch hold = new CountDownLatch(1);
        int[] profileTries = {0};
        try (Uplink uplink = new Uplink()) {
            // The first item holds the sender until every other item is queued, so the order is the queues'.
            CountDownLatch sending = new CountDownLatch(1);
            uplink.addProfile(send("held", sent, closed, done, () -> {
                sending.countDown();
                hold.await();
            }));
            assertTrue(sending.await(30, TimeUnit.SECONDS));
            uplink.addProfile(send("profile", sent, closed, done, () -> {
                if (profileTries[0]++ == 0) {
                    throw new IOException("503");
                }
            }));
            uplink.addReport(send("refused", sent, closed, null, () -> {
                throw new ControllerApi.Rejected("400");
            }));
            uplink.addReport(send("report", sent, closed, done, () -> {}));
            hold.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS), "sent: " + sent);
            assertTrue(allClosed.await(30, TimeUnit.SECONDS), "closed: " + closed);
        }
        assertEquals(List.of("held", "report", "profile"), sent);
        assertEquals(2, profileTries[0], "the profile was sent again after its 503");
        assertEquals(
                List.of("held", "refused", "report", "profile"), closed, "each closed once it was sent or dropped");
    }

    private interface Body {
        void run() throws IOException, InterruptedException;
    }

    private final CountDownLatch allClosed = new CountDownLatch(4);

    private Uplink.Send send(String name, List<String> sent, List<String> closed, CountDownLatch done, Body body) {
        return new Uplink.Send() {
            @Override
            public void send() throws IOException, InterruptedException {
                body.run();
                sent.add(name);
                if (done != null) {
                    done.countDown();
                }
            }

            @Override
            public void close() {
                closed.add(name);
                allClosed.countDown();
            }
        };
    }
}
