package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SamplingRulesTest {
    private static final Path GOLDEN = Path.of("../../docs/protocol");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstProfileIsCutAtTwoLikelySamplesLaterOnesAtAHundredOrTenWindows() {
        ProfileCut cut = new ProfileCut();
        assertFalse(cut.add(0.4, false));
        assertFalse(cut.add(0.7, false), "one likely sample: FlameScope needs two");
        assertTrue(cut.add(0.9, false), "first profile: two likely samples");
        assertFalse(cut.add(60, false));
        assertTrue(cut.add(41, false), "100 likely samples");
        for (int i = 0; i < ProfileCut.WINDOWS - 1; i++) {
            assertFalse(cut.add(1, false));
        }
        assertTrue(cut.add(1, false), "ten windows");
        assertTrue(cut.add(0, true), "a frequency change cuts whatever it holds");
    }

    @Test
    void theReportHasOnlyProtocolFieldsAndTheEngineHostPerf() throws IOException {
        Map<String, Object> report = InstanceSampler.report(
                new Instance("pi", "0123456789ab", 42, Cgroup.parse("0::/docker/x\n", Path.of("/nonexistent")), null),
                new Policy(0.25, 99, 60, 10, 7),
                1795440000000L,
                1795440060000L,
                600,
                150,
                90,
                false,
                31_000_000_000L,
                250_000_000L,
                new CgroupStats(412_000_000_000L, 182_000_000, 536_870_912, 1),
                WatchdogMetrics.growth(
                        new WatchdogMetrics.Counters(20, 0.5, new TreeMap<>(Map.of(5_000_000L, 20L, 10_000_000L, 20L))),
                        new WatchdogMetrics.Counters(
                                1200, 9.3, new TreeMap<>(Map.of(5_000_000L, 920L, 10_000_000L, 1190L)))));
        JsonNode golden = JSON.readTree(Files.readString(GOLDEN.resolve("report.json")));
        assertTrue(fields(golden).containsAll(report.keySet()), "not in report.json: " + report.keySet());
        for (String nested : List.of("cgroup", "watchdog")) {
            Set<String> sent = ((Map<?, ?>) report.get(nested))
                    .keySet().stream().map(Object::toString).collect(Collectors.toSet());
            assertEquals(fields(golden.get(nested)), sent, nested + " as in report.json");
        }
        assertEquals(
                JSON.valueToTree(List.of(List.of(5_000_000L, 900L), List.of(10_000_000L, 270L))),
                JSON.valueToTree(((Map<?, ?>) report.get("watchdog")).get("durationBuckets")),
                "the window's requests per bucket");
        assertEquals(1180L, ((Map<?, ?>) report.get("watchdog")).get("requests"));
        assertEquals("host-perf", report.get("engine"));
        assertEquals(600L, report.get("invocations"), "slots");
        assertEquals(150L, report.get("traced"), "sampled slots");
        assertEquals(31_000_000_000L, report.get("processCpuNanos"), "the cgroup's CPU");
        assertEquals(250_000_000L, report.get("perfCpuNanos"));
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void policyReadsTheGoldenAnswer() throws IOException {
        Policy p = Policy.of(JSON.readTree(Files.readString(GOLDEN.resolve("policy.json"))));
        assertEquals(new Policy(0.25, 199, 60, 10, 7), p);
    }

    @Test
    void namespacePidIsTheInnermost() {
        assertEquals("1", JitMaps.namespacePid("Name:\tnode\nNSpid:\t31337\t1\nPPid:\t0\n"));
        assertEquals("812", JitMaps.namespacePid("NSpid:\t812\n"));
    }

    @Test
    void sampleLinesAreNeitherCommentsFramesNorBlank() {
        assertTrue(ProfileRender.isSampleLine("fn 32268/32268 [001]  2725.866761:   10101010 cpu-clock: "));
        assertTrue(ProfileRender.isSampleLine("     node 4100/4107 [000]  2725.866761:   10101010 cpu-clock: "));
        assertFalse(ProfileRender.isSampleLine("# cmdline : /usr/bin/perf record"));
        assertFalse(ProfileRender.isSampleLine("\t          1750de main.work (/fn)"));
        assertFalse(ProfileRender.isSampleLine(""));
    }
}
