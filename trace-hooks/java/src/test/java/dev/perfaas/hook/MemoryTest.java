package dev.perfaas.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-invocation allocation with its tag, and the process's memory, as the hook reports them. */
class MemoryTest {
    @TempDir
    Path dir;

    /** Untraced (fraction 0): one invocation in eight per thread is weighed; only tagged ones are points. */
    @Test
    @SuppressWarnings("unchecked")
    void oneUntracedInvocationInEightIsWeighedWithItsTag() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        HttpServer controller = StandInController.start(
                0,
                "{\"fraction\":0,\"frequencyHz\":99,\"windowSeconds\":1,"
                        + "\"refreshSeconds\":1,\"engine\":\"perf\",\"version\":1}",
                reports);
        TraceHook hook =
                TraceHook.start(HookConfigs.local(controller.getAddress().getPort(), "perf", dir));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> hook.policy().windowSeconds() == 1);
            byte[][] kept = new byte[160][];
            for (int i = 0; i < 160; i++) {
                Invocation inv = hook.begin();
                int tag = 1 + i % 10;
                kept[i] = new byte[tag * 100_000];
                if (i < 80) {
                    inv.tag(tag); // the last 80 untagged: weighed, but no point
                }
                hook.end(inv, false);
            }
            assertEquals(160, kept.length);
        } finally {
            hook.close();
            controller.stop(0);
        }
        long measured = 0;
        long seen = 0;
        int points = 0;
        for (String r : reports) {
            Map<String, Object> report = Json.parseObject(r);
            measured += (long) Json.number(report, "allocationMeasured");
            Map<String, Object> memory = (Map<String, Object>) report.get("memory");
            seen += (long) Json.number(memory, "pointsSeen");
            assertTrue(Json.number(memory, "heapMaxBytes") > 0, r);
            assertTrue(Json.number(memory, "nonHeapBytes") > 0, r);
            for (Object o : (List<Object>) memory.get("points")) {
                List<Object> p = (List<Object>) o;
                double tag = (Double) p.get(0);
                double bytes = (Double) p.get(1);
                assertTrue(bytes >= tag * 100_000 && bytes < tag * 100_000 + 100_000, "point " + p + " in " + r);
                points++;
            }
        }
        assertEquals(160 / Invocation.MEMORY_SAMPLE_EVERY, measured);
        assertEquals(80 / Invocation.MEMORY_SAMPLE_EVERY, seen);
        assertEquals(seen, points);
    }

    @Test
    void aWindowKeepsAUniformSampleOfItsPoints() {
        MemoryPoints points = new MemoryPoints();
        for (int i = 0; i < 10_000; i++) {
            points.offer(i, 2L * i);
        }
        StringBuilder sb = new StringBuilder("{");
        points.appendJson(sb);
        Map<String, Object> json = Json.parseObject(sb.append('}').toString());
        assertEquals(10_000, Json.number(json, "pointsSeen"));
        List<?> kept = (List<?>) json.get("points");
        assertEquals(MemoryPoints.SIZE, kept.size());
        double meanTag = kept.stream()
                .mapToDouble(p -> (Double) ((List<?>) p).get(0))
                .average()
                .orElseThrow();
        assertTrue(meanTag > 2_000 && meanTag < 8_000, "not the first or last points only: mean tag " + meanTag);
    }

    /** Each row: cgroup version, the path /proc/self/cgroup names, where the files are, their contents -> read. */
    @ParameterizedTest(name = "{0} {1} in {2}: {3}/{4}/{5}")
    @CsvSource(delimiter = '|', textBlock = """
            v2 | /kubepods/pod1 | kubepods/pod1 | 1000    | 2000    | 4096                | 1000 | 2000 | 4096
            v2 | /kubepods/pod1 | .             | 1000    | 2000    | max                 | 1000 | 2000 | -1
            v2 | /              | .             | 1000    |         | 4096                | 1000 | -1   | 4096
            v1 | /docker/abc    | memory/docker/abc | 1000 | 2000   | 4096                | 1000 | 2000 | 4096
            v1 | /docker/abc    | memory        | 1000    | 2000    | 9223372036854771712 | 1000 | 2000 | -1
            v1 | /docker/abc    | nowhere       | 1000    | 2000    | 4096                | -1   | -1   | -1
            """)
    void readsTheContainersMemoryFromItsCgroup(
            String version,
            String path,
            String where,
            String current,
            String peak,
            String limit,
            long expectedCurrent,
            long expectedPeak,
            long expectedLimit)
            throws Exception {
        Path root = Files.createDirectories(dir.resolve("sys"));
        Path files = Files.createDirectories(root.resolve(where));
        boolean v2 = version.equals("v2");
        if (v2) {
            Files.writeString(root.resolve("cgroup.controllers"), "cpu memory");
        }
        Files.writeString(files.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"), current + "\n");
        if (peak != null) {
            Files.writeString(files.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes"), peak + "\n");
        }
        Files.writeString(files.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), limit + "\n");
        Path proc = dir.resolve("cgroup");
        Files.writeString(proc, v2 ? "0::" + path + "\n" : "5:cpu,cpuacct:" + path + "\n4:memory:" + path + "\n0::/\n");
        MemoryGauges.Reading r = MemoryGauges.find(proc, root).read();
        assertEquals(expectedCurrent, r.containerBytes());
        assertEquals(expectedPeak, r.containerPeakBytes());
        assertEquals(expectedLimit, r.containerLimitBytes());
        assertTrue(r.heapMaxBytes() > 0);
    }
}
