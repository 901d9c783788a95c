package dev.perfaas.controller.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.profiles.ProfileHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pprof of a stored profile: a real pi profile (async-profiler, wall clock at 99 Hz, taken from
 * the pi example's image and stored with the controller's header line: docs/protocol/pi.perf) gives
 * byte for byte docs/protocol/pi.pb.gz (uncompressed: gzip's bytes are zlib's business), and what
 * it says is read back with a decoder written apart from the writer and checked against the text.
 */
class PprofTest {
    /** Surefire runs in the module's folder, controller/. */
    static final Path GOLDEN = Path.of("../docs/protocol");

    static final Path PI = GOLDEN.resolve("pi.perf");
    private static final Pattern SAMPLE = Pattern.compile(" ([0-9]+\\.[0-9]+): 1 (wall-\\w+):$");
    private static final Pattern FRAME = Pattern.compile("\t0 (.+) \\([^)]*\\)");

    @Test
    void thePiProfileIsTheGoldenByteForByte() throws IOException {
        byte[] raw = ProtoFields.gunzip(Pprof.of(PI).gzip());
        if (Boolean.getBoolean("perfaas.write-golden")) { // after a deliberate change of the encoding
            Files.write(GOLDEN.resolve("pi.pb.gz"), Pprof.gzip(raw));
        }
        assertArrayEquals(ProtoFields.gunzip(Files.readAllBytes(GOLDEN.resolve("pi.pb.gz"))), raw);
        assertArrayEquals(raw, ProtoFields.gunzip(Pprof.of(PI).gzip()), "the same again");
    }

    @Test
    void thePiProfileSaysWhatItsTextSays() throws IOException {
        List<String> lines = Files.readAllLines(PI);
        List<Double> times = new ArrayList<>();
        Map<String, Integer> states = new HashMap<>();
        Map<String, Long> textStacks = new HashMap<>(); // "state: leaf;...;root" -> samples
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = SAMPLE.matcher(lines.get(i));
            if (m.find()) {
                times.add(Double.parseDouble(m.group(1)));
                String state = m.group(2).substring("wall-".length());
                states.merge(state, 1, Integer::sum);
                StringBuilder stack = new StringBuilder(state + ":");
                for (int k = i + 1; k < lines.size() && lines.get(k).startsWith("\t"); k++) {
                    Matcher f = FRAME.matcher(lines.get(k));
                    assertTrue(f.matches(), lines.get(k));
                    stack.append(' ').append(f.group(1));
                }
                textStacks.merge(stack.toString(), 1L, Long::sum);
            }
        }
        assertEquals(90, times.size(), "the fixture's samples");

        Pprof.Encoded e = Pprof.of(PI);
        ProtoFields p = ProtoFields.parse(ProtoFields.gunzip(e.gzip()));
        List<String> strings = p.strings(6);
        assertEquals("", strings.get(0), "string_table[0]");
        assertEquals(List.of("samples/count", "wall/nanoseconds"), types(p.messages(1), strings));
        assertEquals(List.of("wall/nanoseconds"), types(p.messages(11), strings));
        long period = 10_101_010; // 1e9 / 99 Hz, rounded
        assertEquals(period, p.number(12));
        assertEquals("wall", strings.get((int) p.number(14)), "the default sample type");
        long firstNanos = Math.round(times.get(0) * 1e9);
        assertEquals(firstNanos + 1_795_427_331_498_060_000L, p.number(9), "time_nanos: the header's clock offset");
        assertEquals(
                1_795_440_000_000_000_000L, p.number(9), "2026-11-23T13:20:00Z, as the fixture's offset was chosen");
        assertEquals(Math.round(times.get(times.size() - 1) * 1e9) - firstNanos, p.number(10), "duration_nanos");
        assertEquals(new Pprof.Encoded(e.gzip(), SampleKind.WALL, 90, p.number(9), p.number(10)), e);

        Map<Long, String> functionNames = new HashMap<>();
        for (ProtoFields f : p.messages(5)) {
            assertTrue(f.number(1) > 0, "function ids are not 0");
            functionNames.put(f.number(1), strings.get((int) f.number(2)));
        }
        Map<Long, Long> functionOfLocation = new HashMap<>();
        for (ProtoFields l : p.messages(4)) {
            assertTrue(l.number(1) > 0, "location ids are not 0");
            functionOfLocation.put(l.number(1), l.messages(4).get(0).number(1));
        }
        assertEquals(p.messages(5).size(), functionNames.size(), "unique function ids");
        assertEquals(p.messages(4).size(), functionOfLocation.size(), "unique location ids");

        long count = 0;
        long leibniz = 0;
        Map<String, Integer> stateCounts = new HashMap<>();
        Map<String, Long> pprofStacks = new HashMap<>();
        Set<String> labelSets = new HashSet<>();
        for (ProtoFields s : p.messages(2)) {
            long[] values = s.packed(2);
            assertEquals(2, values.length);
            assertEquals(values[0] * period, values[1], "nanoseconds = count x period");
            count += values[0];
            long[] locations = s.packed(1);
            String leaf = functionNames.get(functionOfLocation.get(locations[0]));
            leibniz += leaf.equals("com.openfaas.function.Handler.leibnizPi") ? values[0] : 0;
            Map<String, String> labels = new HashMap<>();
            for (ProtoFields l : s.messages(3)) {
                labels.put(strings.get((int) l.number(1)), strings.get((int) l.number(2)));
            }
            StringBuilder stack = new StringBuilder(labels.get("state") + ":");
            for (long location : locations) {
                stack.append(' ').append(functionNames.get(functionOfLocation.get(location)));
            }
            pprofStacks.merge(stack.toString(), values[0], Long::sum);
            labelSets.add(labels.toString());
            stateCounts.merge(labels.get("state"), (int) values[0], Integer::sum);
            assertEquals("pi", labels.get("function"));
            assertEquals("pi-7d9f-12", labels.get("instance"));
            assertEquals("async", labels.get("engine"));
            assertEquals("1.4.2", labels.get("version"));
        }
        assertEquals(90, count);
        assertEquals(textStacks, pprofStacks, "every stack, leaf first, with its state and count");
        assertTrue(leibniz > 45, "pi spends its time in leibnizPi: " + leibniz);
        assertEquals(states, stateCounts, "running and waiting as the events say");
        assertEquals(2, labelSets.size());
    }

    @Test
    void perfSamplesCpuAndASeedWithoutFrequencyOnlyCounts() throws IOException {
        ProfileHeader perf = new ProfileHeader("sh", "h", "perf", "unknown", 99.0, null);
        ProtoFields p = decode(Pprof.of(perf, new ByteArrayInputStream(Stacks.fixture())));
        List<String> strings = p.strings(6);
        assertEquals(List.of("samples/count", "cpu/nanoseconds"), types(p.messages(1), strings));
        assertEquals(List.of("cpu/nanoseconds"), types(p.messages(11), strings));
        assertEquals(0, p.number(9), "no clock offset: no time_nanos");

        ProfileHeader seed = ProfileHeader.ofUpload("sh", "seed", null, null, null, null);
        Pprof.Encoded e = Pprof.of(seed, new ByteArrayInputStream(Stacks.fixture()));
        p = decode(e);
        assertEquals(SampleKind.CPU, e.kind(), "cpu-clock events");
        assertEquals(Stacks.FIXTURE_SAMPLES, e.samples());
        assertEquals(List.of("samples/count"), types(p.messages(1), p.strings(6)));
        assertEquals(List.of(), p.messages(11), "no period type without a frequency");
        long count = 0;
        for (ProtoFields s : p.messages(2)) {
            count += s.packed(2)[0];
        }
        assertEquals(Stacks.FIXTURE_SAMPLES, count);
    }

    @Test
    void asyncProfilersCpuTimeSamplesCpu() throws IOException {
        ProfileHeader header = new ProfileHeader("pi", "h", "async-cpu", "unknown", 19.0, 0L);
        Pprof.Encoded e = Pprof.of(header, new ByteArrayInputStream(Stacks.fixture()));
        assertEquals(SampleKind.CPU, e.kind());
        ProtoFields p = decode(e);
        assertEquals(List.of("samples/count", "cpu/nanoseconds"), types(p.messages(1), p.strings(6)));
    }

    @Test
    void anUnknownEngineWithTheHooksWallEventsIsWall() throws IOException {
        ProfileHeader seed = ProfileHeader.ofUpload("pi", "seed", null, null, "99", null);
        assertEquals(SampleKind.WALL, Pprof.of(seed, Files.newInputStream(PI)).kind());
    }

    private static ProtoFields decode(Pprof.Encoded e) {
        return ProtoFields.parse(ProtoFields.gunzip(e.gzip()));
    }

    private static List<String> types(List<ProtoFields> valueTypes, List<String> strings) {
        return valueTypes.stream()
                .map(v -> strings.get((int) v.number(1)) + "/" + strings.get((int) v.number(2)))
                .toList();
    }
}
