package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The outbox against a stand-in controller answering what each test sets, on a clock the test
 * moves: what is kept, what is dropped, and when a kept profile is sent again.
 */
class OutboxTest {
    @TempDir
    Path spool;

    private HttpServer controller;
    private final AtomicInteger profileStatus = new AtomicInteger(201);
    private final AtomicInteger reportStatus = new AtomicInteger(202);
    private final AtomicInteger profilePosts = new AtomicInteger();
    private final AtomicInteger reportPosts = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final Outbox outbox = new Outbox(nanos::get);
    private ControllerClient client;

    @BeforeEach
    void startController() throws IOException {
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        controller.createContext("/v1/profiles/", ex -> {
            ex.getRequestBody().readAllBytes();
            profilePosts.incrementAndGet();
            ex.sendResponseHeaders(profileStatus.get(), -1);
            ex.close();
        });
        controller.createContext("/v1/reports", ex -> {
            ex.getRequestBody().readAllBytes();
            reportPosts.incrementAndGet();
            ex.sendResponseHeaders(reportStatus.get(), -1);
            ex.close();
        });
        controller.start();
        client = new ControllerClient(
                HookConfigs.local(controller.getAddress().getPort(), "perf", spool), new CpuAccount());
    }

    @AfterEach
    void stopController() {
        controller.stop(0);
    }

    /** One flush: a profile the controller could take later stays with its file; one refused for good goes. */
    @ParameterizedTest
    @CsvSource({
        "507, true", "503, true", "500, true", "429, true", "408, true",
        "400, false", "401, false", "404, false", "413, false", "415, false"
    })
    void aProfileIsKeptForATransientAnswerAndDroppedForAPermanentOne(int status, boolean kept) throws Exception {
        profileStatus.set(status);
        Path file = profile();
        outbox.flush(client);
        assertEquals(1, profilePosts.get());
        assertEquals(kept ? 1 : 0, outbox.pending());
        assertEquals(kept, Files.exists(file));
    }

    /** One flush: a report the controller could take later stays; one refused for good goes. */
    @ParameterizedTest
    @CsvSource({"202, 0", "200, 0", "507, 1", "503, 1", "429, 1", "408, 1", "400, 0", "401, 0", "409, 0"})
    void aReportIsKeptForATransientAnswerAndDroppedForAPermanentOne(int status, int pending) throws Exception {
        reportStatus.set(status);
        outbox.add("{\"function\":\"fn\"}");
        outbox.flush(client);
        assertEquals(1, reportPosts.get());
        assertEquals(pending, outbox.pending());
    }

    /** A controller gone for long: past each bound the oldest goes, a dropped profile with its file. */
    @ParameterizedTest(name = "{0} profiles, {1} reports -> {2} pending, first profile kept: {3}")
    @CsvSource({
        "32, 0, 32, true",
        "33, 0, 32, false",
        "40, 0, 32, false",
        "0, 1000, 1000, true",
        "0, 1001, 1000, true",
        "33, 1001, 1032, false"
    })
    void pastItsBoundsTheOutboxDropsTheOldest(int profiles, int reports, int pending, boolean firstKept)
            throws Exception {
        Path first = null;
        for (int i = 0; i < profiles; i++) {
            Path p = profile();
            if (i == 0) {
                first = p;
            }
        }
        for (int i = 0; i < reports; i++) {
            outbox.add("{\"n\":" + i + "}");
        }
        assertEquals(pending, outbox.pending());
        if (first != null) {
            assertEquals(firstKept, Files.exists(first));
        }
    }

    /**
     * A disk that stays full: each row moves the clock to a second and flushes; the refused profile
     * is sent again after 1 s, 2 s, 4 s..., and at once when the controller takes it.
     */
    @Test
    void aRefusedProfileIsSentAgainAfterWaitsThatDoubleUntilTheControllerTakesIt() throws Exception {
        Path file = profile();
        // {second, answer, posts so far}
        int[][] steps = {
            {0, 507, 1},
            {0, 507, 1},
            {1, 507, 2},
            {2, 507, 2},
            {3, 507, 3},
            {6, 507, 3},
            {7, 201, 4},
        };
        for (int[] step : steps) {
            nanos.set(TimeUnit.SECONDS.toNanos(step[0]));
            profileStatus.set(step[1]);
            outbox.flush(client);
            assertEquals(step[2], profilePosts.get(), "posts by second " + step[0]);
        }
        assertEquals(0, outbox.pending());
        assertFalse(Files.exists(file));

        profile();
        outbox.flush(client);
        assertEquals(5, profilePosts.get(), "after a success the next profile goes at once");
    }

    @Test
    void theWaitStopsDoublingAtThirtySeconds() throws Exception {
        profileStatus.set(507);
        profile();
        for (int second : List.of(0, 1, 3, 7, 15, 31)) {
            nanos.set(TimeUnit.SECONDS.toNanos(second));
            outbox.flush(client);
        }
        assertEquals(6, profilePosts.get());
        nanos.set(TimeUnit.SECONDS.toNanos(60));
        outbox.flush(client);
        assertEquals(6, profilePosts.get());
        nanos.set(TimeUnit.SECONDS.toNanos(61));
        outbox.flush(client);
        assertEquals(7, profilePosts.get());
    }

    @Test
    void reportsDoNotWaitBehindAProfileTheControllerCannotStore() throws Exception {
        profileStatus.set(507);
        profile();
        outbox.add("{\"function\":\"fn\"}");
        outbox.flush(client);
        assertEquals(1, reportPosts.get());
        assertEquals(1, outbox.pending(), "the profile");
    }

    @Test
    void atShutdownPendingProfilesGoWhateverTheWait() throws Exception {
        profileStatus.set(507);
        profile();
        outbox.flush(client);
        profileStatus.set(201);
        outbox.flushNow(client);
        assertEquals(2, profilePosts.get());
        assertEquals(0, outbox.pending());
    }

    private Path profile() throws IOException {
        Path file = Files.createTempFile(spool, "profile", ".perf.gz");
        outbox.add(new Outbox.Profile(file, 1_795_439_942_000L, "async", 99, 0));
        return file;
    }
}
