package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The bounds of a profile read: its caps on what it holds, and reads at once. */
class ProfileSamplesTest {

    @Test
    void aProfileWithMoreStacksAndNamesThanHeldIsAnsweredWithinTheCaps() throws IOException {
        int n = ProfileSamples.MAX_NAMES + 5_000;
        StringBuilder perf = new StringBuilder();
        for (int i = 0; i < n; i++) {
            perf.append("java 1 [000] ")
                    .append(1000 + i / 1000.0)
                    .append(": 1 cpu-clock:\n\t0 frame")
                    .append(i)
                    .append(" (java)\n\t0 root (java)\n\n");
        }
        ProfileSamples.Samples s = ProfileSamples.read("many.perf", bytes(perf.toString()), null, null);
        assertEquals(n, s.samples());
        assertEquals(n, s.selected());
        assertTrue(
                s.stacks().size() <= ProfileSamples.MAX_STACKS_ANSWERED,
                "stacks answered: " + s.stacks().size());
        long counted = s.stacks().stream().mapToLong(st -> st[0]).sum();
        assertEquals(n, counted + s.otherStacks(), "every sample is counted, in a stack or as other");
        assertTrue(
                s.names().size() <= ProfileSamples.MAX_STACKS_ANSWERED + 1,
                "names answered: " + s.names().size());
        assertEquals(n, java.util.Arrays.stream(s.heatmap()).sum());
    }

    @Test
    void deepStacksKeepTheirRootFrames() throws IOException {
        StringBuilder perf = new StringBuilder("java 1 [000] 5.0: 1 cpu-clock:\n");
        for (int depth = 2000; depth >= 0; depth--) {
            perf.append("\t0 f").append(depth).append(" (java)\n");
        }
        ProfileSamples.Samples s = ProfileSamples.read("deep.perf", bytes(perf.toString()), null, null);
        long[] stack = s.stacks().get(0);
        assertEquals(ProfileSamples.MAX_DEPTH + 1, stack.length);
        assertEquals("f0", s.names().get((int) stack[1]), "the root comes first");
    }

    @Test
    void readsPastTheMostAtOnceAreRefusedWith503() throws Exception {
        CountDownLatch reading = new CountDownLatch(ProfileReads.MAX);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ProfileReads.MAX);
        try {
            List<Future<ProfileSamples.Samples>> held = new ArrayList<>();
            for (int i = 0; i < ProfileReads.MAX; i++) {
                held.add(pool.submit(() -> ProfileSamples.read(
                        "held.perf",
                        new InputStream() {
                            private boolean waited;

                            @Override
                            public int read() throws IOException {
                                if (!waited) {
                                    waited = true;
                                    reading.countDown();
                                    try {
                                        release.await();
                                    } catch (InterruptedException e) {
                                        throw new IOException(e);
                                    }
                                }
                                return -1;
                            }
                        },
                        null,
                        null)));
            }
            reading.await();
            ApiException refused = assertThrows(
                    ApiException.class,
                    () -> ProfileSamples.read("more.perf", bytes("java 1 [000] 1.0: 1 c:\n"), null, null));
            assertEquals(503, refused.status());
            assertEquals(Refusal.PROFILE_READS, refused.reason());
            release.countDown();
            for (Future<ProfileSamples.Samples> f : held) {
                assertEquals(0, f.get().samples());
            }
            assertEquals(
                    1,
                    ProfileSamples.read("after.perf", bytes("java 1 [000] 1.0: 1 c:\n"), null, null)
                            .samples());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
