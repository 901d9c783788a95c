package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The report's fields for cold starts, concurrency and latency, as the controller reads them. */
class WindowTest {
    private static final Window.Closing CLOSING = new Window.Closing(
            "fn", "fn-1", 61_000, Policy.OFF, "off", Map.of(), 0, 0, 0, 0, 0, 0, false, MemoryGauges.Reading.NONE);
    private static final InstanceIdentity IDENTITY = new InstanceIdentity(
            "1a9ab660-0b1d-44f5-82d9-79d782b92ff2", "fn-7d9f", "/kubepods/pod1/c0", 7, 1_795_439_942_000L);

    @Test
    void aColdWindowReportsTheInstanceItsInitAndItsFirstInvocation() {
        Window w = new Window();
        w.coldStart = new Window.ColdStart(812, 43_000_000, 640, IDENTITY);
        String json = w.toReportJson(CLOSING);
        assertTrue(
                json.contains(",\"coldStart\":{\"uptimeMillisAtFirstInvocation\":812,\"firstInvocationNanos\":43000000,"
                        + "\"startToReadyMillis\":640,\"bootId\":\"1a9ab660-0b1d-44f5-82d9-79d782b92ff2\",\"hostname\":\"fn-7d9f\","
                        + "\"cgroup\":\"/kubepods/pod1/c0\",\"pid\":7,\"processStartMillis\":1795439942000},"),
                json);
    }

    @Test
    void unknownReadinessAndIdentityAreNull() {
        Window w = new Window();
        w.coldStart = new Window.ColdStart(812, 43_000_000, -1, new InstanceIdentity(null, null, null, 1, 0));
        Map<String, Object> cold =
                (Map<String, Object>) Json.parseObject(w.toReportJson(CLOSING)).get("coldStart");
        assertTrue(cold.containsKey("startToReadyMillis"));
        assertEquals(null, cold.get("startToReadyMillis"));
        assertEquals(null, cold.get("bootId"));
        assertEquals(null, cold.get("cgroup"));
    }

    @Test
    void theWallOfMeasuredInvocationsGoesBesideTheirCpuAndTracedLatencyBesideAll() {
        Window w = new Window();
        w.latency.record(1100);
        w.latency.record(1200);
        w.latency.record(5000);
        w.tracedLatency.record(1100);
        w.tracedCpuNanos.add(700);
        w.tracedWallNanos.add(1100);
        w.tracedMeasured.increment();
        w.controlCpuNanos.add(4000);
        w.controlWallNanos.add(5000);
        w.controlMeasured.increment();
        String json = w.toReportJson(CLOSING);
        assertTrue(
                json.contains("\"tracedCpuNanos\":700,\"tracedWallNanos\":1100,\"tracedMeasured\":1,"
                        + "\"controlCpuNanos\":4000,\"controlWallNanos\":5000,\"controlMeasured\":1,"),
                json);
        assertTrue(json.contains("\"latencyBuckets\":[[1024,2],[4096,1]],\"tracedLatencyBuckets\":[[1024,1]],"), json);
    }

    /** Each memory figure the instance could not read is left out, never sent as -1. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "all known      | 1, 2, 3, 4, 5, 6       | \"heapAfterGcBytes\":1,\"heapMaxBytes\":2,\"nonHeapBytes\":3,\"containerBytes\":4,\"containerPeakBytes\":5,\"containerLimitBytes\":6,",
                "no GC yet      | -1, 2, 3, 4, 5, 6      | \"heapMaxBytes\":2,\"nonHeapBytes\":3,\"containerBytes\":4,\"containerPeakBytes\":5,\"containerLimitBytes\":6,",
                "no limit       | 1, 2, 3, 4, 5, -1      | \"heapAfterGcBytes\":1,\"heapMaxBytes\":2,\"nonHeapBytes\":3,\"containerBytes\":4,\"containerPeakBytes\":5,",
                "no cgroup      | 1, 2, 3, -1, -1, -1    | \"heapAfterGcBytes\":1,\"heapMaxBytes\":2,\"nonHeapBytes\":3,",
                "nothing        | -1, -1, -1, -1, -1, -1 | ''",
            })
    void absentMemoryFiguresAreLeftOut(String name, String figures, String sent) {
        long[] f = Stream.of(figures.split(","))
                .mapToLong(v -> Long.parseLong(v.trim()))
                .toArray();
        Window.Closing closing = new Window.Closing(
                "fn",
                "fn-1",
                61_000,
                Policy.OFF,
                "off",
                Map.of(),
                0,
                0,
                0,
                0,
                0,
                0,
                false,
                new MemoryGauges.Reading(f[0], f[1], f[2], f[3], f[4], f[5]));
        String json = new Window().toReportJson(closing);
        assertTrue(json.endsWith(",\"memory\":{" + sent + "\"pointsSeen\":0,\"points\":[]}}"), json);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void samplesPendingSaysWhetherTheProfileGoesOn(boolean pending) {
        Window.Closing closing = new Window.Closing(
                "fn",
                "fn-1",
                61_000,
                Policy.OFF,
                "off",
                Map.of(),
                0,
                0,
                0,
                0,
                0,
                0,
                pending,
                MemoryGauges.Reading.NONE);
        assertTrue(new Window().toReportJson(closing).contains(",\"samplesPending\":" + pending + ","));
    }

    @Test
    void maxInFlightIsTheHighestCountSeen() {
        Window w = new Window();
        assertTrue(w.toReportJson(CLOSING).contains("\"maxInFlight\":0,"));
        for (long n : new long[] {1, 3, 2, 1}) {
            w.noteInFlight(n);
        }
        assertTrue(w.toReportJson(CLOSING).contains("\"maxInFlight\":3,"));
    }

    @Test
    void theCgroupIsTheLongestPathUnderV1OrV2(@TempDir Path dir) throws Exception {
        Path v1 = Files.write(dir.resolve("v1"), List.of("9:name=systemd:/", "4:memory:/process_api/cd27", "0::/"));
        Path v2 = Files.write(dir.resolve("v2"), List.of("0::/kubepods.slice/pod1/cri-containerd-ab12.scope"));
        assertEquals("/process_api/cd27", InstanceIdentity.cgroup(v1));
        assertEquals("/kubepods.slice/pod1/cri-containerd-ab12.scope", InstanceIdentity.cgroup(v2));
        assertEquals(null, InstanceIdentity.cgroup(dir.resolve("missing")));
    }

    @Test
    void thisProcessIsIdentifiedFromProc() {
        InstanceIdentity id = InstanceIdentity.read();
        assertEquals(ProcessHandle.current().pid(), id.pid());
        assertTrue(id.bootId() != null && id.bootId().matches("[0-9a-f-]{36}"), id.toString());
        assertTrue(id.hostname() != null && id.processStartMillis() > 0, id.toString());
    }
}
