package dev.perfaas.controller.pyroscope;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.pprof.ProtoWriter;
import dev.perfaas.pyroscope.PushRequest;
import dev.perfaas.pyroscope.PyroscopeStandIn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push queue and its pusher against the Pyroscope stand-in, with profiles whose pprof is made
 * here (a sample type and a time: what the stand-in, as Pyroscope, checks). The controller's own
 * encoder and the whole path are PyroscopePushTest's.
 */
class PusherTest {

    @TempDir
    Path data;

    private PyroscopeStandIn pyroscope;
    private final List<Pusher> pushers = new ArrayList<>();
    /** The time of each profile by path; absent: gone. */
    private final Map<String, Long> times = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        pyroscope = PyroscopeStandIn.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Pusher p : pushers) {
            p.close();
        }
        pyroscope.close();
    }

    @Test
    void aProfileStoredWhilePyroscopeAnswers503ArrivesOnceItRecovers() throws Exception {
        pyroscope.answer(503);
        Pusher pusher = pusher(Duration.ofHours(1));
        profile("pi/pi-a-20261206T120000.perf", System.currentTimeMillis());
        pusher.enqueue("pi/pi-a-20261206T120000.perf", "pi", "a");
        await().until(() -> pyroscope.received().size() >= 2); // retried
        assertEquals(0, pusher.pushed());
        assertEquals(1, pusher.queued());
        pyroscope.answer(200);
        await().until(() -> pusher.pushed() == 1);
        assertEquals(1, pyroscope.accepted().size(), pyroscope.problems().toString());
        assertEquals(0, pusher.queued());
        PushRequest.Series series =
                pyroscope.accepted().get(0).decoded().series().get(0);
        assertEquals(
                Map.of(
                        "__name__", "process_cpu",
                        "engine", "async",
                        "instance", "a",
                        "namespace", "openfaas-fn",
                        "service_name", "pi",
                        "version", "v1"),
                series.labelMap());
        // Every attempt sent the same request: the sample's ID is the profile's.
        assertEquals(
                1,
                pyroscope.received().stream()
                        .map(r -> r.decoded().series().get(0).samples().get(0).id())
                        .distinct()
                        .count());
        assertEquals(0, pusher.refused(PushRefusal.TOO_OLD));
    }

    @Test
    void whatWaitsOnDiskIsPushedAfterARestart() throws Exception {
        pyroscope.answer(503);
        Pusher first = pusher(Duration.ofHours(1));
        profile("pi/pi-a-20261206T120000.perf", System.currentTimeMillis());
        profile("pi/pi-b-20261206T120000.perf", System.currentTimeMillis());
        first.enqueue("pi/pi-a-20261206T120000.perf", "pi", "a");
        first.enqueue("pi/pi-b-20261206T120000.perf", "pi", "b");
        await().until(() -> !pyroscope.received().isEmpty());
        first.close();
        pushers.remove(first);
        pyroscope.answer(200);
        Pusher second = pusher(Duration.ofHours(1));
        assertEquals(2, second.queued());
        await().until(() -> second.pushed() == 2);
        assertEquals(
                List.of("a", "b"),
                pyroscope.accepted().stream()
                        .map(r -> r.decoded().series().get(0).labelMap().get("instance"))
                        .toList());
        assertEquals(0, second.queued());
    }

    @Test
    void aProfileOlderThanPyroscopeAcceptsIsCountedAndNeverSent() throws Exception {
        Pusher pusher = pusher(Duration.ofHours(1));
        profile(
                "pi/old.perf",
                System.currentTimeMillis() - Duration.ofMinutes(61).toMillis());
        pusher.enqueue("pi/old.perf", "pi", "a");
        profile("pi/new.perf", System.currentTimeMillis());
        pusher.enqueue("pi/new.perf", "pi", "a");
        await().until(() -> pusher.pushed() == 1);
        assertEquals(1, pusher.refused(PushRefusal.TOO_OLD));
        assertEquals(1, pyroscope.received().size(), "only the young one was sent");
    }

    @Test
    void aProfileThatAgesPastTheLimitWhileRetriedIsDroppedNotRetried() throws Exception {
        pyroscope.answer(503);
        Duration limit = Duration.ofSeconds(3);
        Pusher pusher = pusher(limit);
        profile("pi/p.perf", System.currentTimeMillis());
        pusher.enqueue("pi/p.perf", "pi", "a");
        await().atMost(Duration.ofSeconds(20)).until(() -> pusher.refused(PushRefusal.TOO_OLD) == 1);
        int attempts = pyroscope.received().size();
        assertTrue(attempts >= 1, "tried while young");
        assertEquals(0, pusher.queued());
        pyroscope.answer(200);
        Thread.sleep(500); // a retry, were there one, would come within the 200 ms backoff
        assertEquals(attempts, pyroscope.received().size(), "no attempt after it was dropped");
        assertEquals(0, pusher.pushed());
    }

    @Test
    void aRefusalOtherThan429IsCountedAndNotRetried() throws Exception {
        pyroscope.answer(401);
        Pusher pusher = pusher(Duration.ofHours(1));
        profile("pi/p.perf", System.currentTimeMillis());
        pusher.enqueue("pi/p.perf", "pi", "a");
        await().until(() -> pusher.refused(PushRefusal.UNAUTHORIZED) == 1);
        assertEquals(0, pusher.queued());
        Thread.sleep(500);
        assertEquals(1, pyroscope.received().size());
    }

    @Test
    void aProfileInvalidForPyroscopeIsRefusedAsABadRequest() throws Exception {
        Pusher pusher = pusher(Duration.ZERO); // perfaas sends it; the stand-in, as Pyroscope, refuses it
        profile("pi/old.perf", System.currentTimeMillis() - Duration.ofHours(2).toMillis());
        pusher.enqueue("pi/old.perf", "pi", "a");
        await().until(() -> pusher.refused(PushRefusal.BAD_REQUEST) == 1);
        assertTrue(
                pyroscope.problems().get(0).contains("ingestion window"),
                pyroscope.problems().toString());
    }

    @Test
    void aProfileDeletedBeforeItsTurnIsCountedGone() throws Exception {
        Pusher pusher = pusher(Duration.ofHours(1));
        pusher.enqueue("pi/never-stored.perf", "pi", "a");
        await().until(() -> pusher.refused(PushRefusal.GONE) == 1);
        assertTrue(pyroscope.received().isEmpty());
    }

    @Test
    void aFullQueueDropsItsOldest() throws Exception {
        pyroscope.answer(503);
        Pusher pusher = pusher(Duration.ofHours(1), 2);
        for (String name : List.of("a", "b", "c", "d")) {
            profile("pi/" + name + ".perf", System.currentTimeMillis());
        }
        pusher.enqueue("pi/a.perf", "pi", "a");
        await().until(() -> !pyroscope.received().isEmpty()); // a is being pushed
        pusher.enqueue("pi/b.perf", "pi", "b");
        pusher.enqueue("pi/c.perf", "pi", "c"); // b goes
        pusher.enqueue("pi/d.perf", "pi", "d"); // c goes
        assertEquals(2, pusher.refused(PushRefusal.QUEUE_FULL));
        assertEquals(2, pusher.queued());
        pyroscope.answer(200);
        await().until(() -> pusher.pushed() == 2);
        assertEquals(
                List.of("a", "d"),
                pyroscope.accepted().stream()
                        .map(r -> r.decoded().series().get(0).labelMap().get("instance"))
                        .toList());
    }

    @Test
    void theInstanceLabelGoesOnlyWhileTheSeriesBudgetAllows() throws Exception {
        // 3 series: one instance's (2 sample types), then no room for a second's.
        Pusher pusher = pusher(Duration.ofHours(1), 100, 3);
        profile("pi/a.perf", System.currentTimeMillis());
        profile("pi/b.perf", System.currentTimeMillis());
        pusher.enqueue("pi/a.perf", "pi", "a");
        pusher.enqueue("pi/b.perf", "pi", "b");
        await().until(() -> pusher.pushed() == 2);
        List<Map<String, String>> labels = pyroscope.accepted().stream()
                .map(r -> r.decoded().series().get(0).labelMap())
                .toList();
        assertEquals("a", labels.get(0).get("instance"));
        assertFalse(labels.get(1).containsKey("instance"), labels.get(1).toString());
        assertEquals("pi", labels.get(1).get("service_name"));
    }

    private Pusher pusher(Duration rejectOlderThan) throws IOException {
        return pusher(rejectOlderThan, 100);
    }

    private Pusher pusher(Duration rejectOlderThan, int queueLimit) throws IOException {
        return pusher(rejectOlderThan, queueLimit, 2500);
    }

    private Pusher pusher(Duration rejectOlderThan, int queueLimit, int maxSeries) throws IOException {
        Pusher pusher = new Pusher(
                new PushQueue(data.resolve("pyroscope-queue"), queueLimit),
                this::encode,
                new PushClient(pyroscope.url(), Optional.empty(), null, Duration.ofSeconds(5)),
                new SeriesBudget(maxSeries),
                new Pusher.Settings(rejectOlderThan, "openfaas-fn", Duration.ofMillis(200)),
                Clock.systemUTC());
        pusher.start();
        pushers.add(pusher);
        return pusher;
    }

    private void profile(String path, long timeMillis) {
        times.put(path, timeMillis);
    }

    private PprofSource.Pushable encode(String path, boolean withInstance) throws IOException {
        Long time = times.get(path);
        if (time == null) {
            throw new NoSuchFileException(path);
        }
        return new PprofSource.Pushable(pprof(time * 1_000_000), time * 1_000_000, "cpu", 2, "async", "v1");
    }

    /** A gzipped pprof of a string table and a time, what the stand-in reads of it. */
    static byte[] pprof(long timeNanos) {
        byte[] profile = new ProtoWriter().string(6, "").varint(9, timeNanos).toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }
}
