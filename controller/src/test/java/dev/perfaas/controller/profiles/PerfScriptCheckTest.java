package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeFailure;
import dev.perfaas.flamescope.FlameScopeOracle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerfScriptCheckTest {

    private static final String SAMPLE = "java 4242 [001]    47.529493:    2004008 cpu-clock:pppH: \n";
    /** The sample after {@link #SAMPLE}: FlameScope needs two. */
    private static final String NEXT_SAMPLE = "java 4242 [001]    47.539493:    2004008 cpu-clock:pppH: \n";

    private static final String FRAME = "\t7f00deadbeef Handler::leibniz (/tmp/perf-4242.map)\n";
    /** Generous: linear work on these inputs takes well under a second even on a busy machine. */
    private static final Duration LINEAR = Duration.ofSeconds(10);

    @Test
    void countsTheSamplesOfARealProfile() {
        assertEquals(Stacks.FIXTURE_SAMPLES, samples(Stacks.fixture(), Integer.MAX_VALUE));
    }

    @Test
    void readsAcrossEveryChunkBoundary() {
        assertEquals(Stacks.FIXTURE_SAMPLES, samples(Stacks.fixture(), 1));
        assertEquals(Stacks.FIXTURE_SAMPLES, samples(Stacks.fixture(), 7));
    }

    @Test
    void takesWhatTheHooksJfrRendererWrites() {
        // JfrScriptTest's golden lines (trace-hooks).
        String jfr = "# ========\n# perfaas profile, made in process from JFR\n# ========\n#\n"
                + "perfaas-request 4242/4250 [000] 47.519493: 1 wall-running:\n"
                + "\t0 com.openfaas.function.Handler.leibnizPi (java)\n"
                + "\t0 java.lang.Object.wait (native)\n"
                + "\t0 do_syscall_64 ([kernel.kallsyms])\n\n"
                + "java 1/2 [000] 47.529493: 1 jfr-running:\n\t0 a.B.c (java)\n\n";
        assertEquals(2, samples(jfr));
    }

    @Test
    void takesPerfsOtherLayouts() {
        // From FlameScope's app/perf/regexp.py: right-aligned commands, no CPU column, space-indented
        // frames, the first frame on the sample line itself (no -g), CRLF and CR line ends; times in order.
        String perf = "      swapper     0 [002] 6034779.719110:   10101010 cpu-clock:\r\n"
                + "      2013aa xen_hypercall_sched_op+0xfe20000a (/lib/modules/4.9-virtual/build/vmlinux)\r\n"
                + "\r\n"
                + "bash 25370/25370 6035935.188539: cpu-clock:\r"
                + "                  b9218 [unknown] (/bin/bash)\r"
                + "java 14514 [022] 6036036.799684: cpu-clock:      7f92b4fdb7d4 Ljava_util_List$size$0;::call"
                + " (/tmp/perf-11936.map)\n"
                + "\t    7fa4c651fb95 CardTableModRefBS::process_stride(Space*, MemRegion, int) (/usr/lib/libjvm.so)";
        assertEquals(3, samples(perf));
    }

    @Test
    void takesUtf8AndTheControlCharactersLibmagicCallsText() {
        assertEquals(2, samples("# ÿ 漢 😀 \u001b[1m\n" + SAMPLE + "\t0 Größe.läuft (java)\n" + NEXT_SAMPLE));
    }

    @Test
    void takesASampleLineWithoutLineEnd() {
        assertEquals(2, samples(SAMPLE + NEXT_SAMPLE.strip()));
    }

    @Test
    void refusesAnEmptyBody() {
        assertEquals("empty body", refused(""));
    }

    @Test
    void refusesABlankLineBeforeTheFirstSample() {
        assertTrue(refused("# header\n\n" + SAMPLE).contains("a blank line comes before the first sample (line 2)"));
        assertTrue(refused("\n" + SAMPLE).contains("a blank line comes before the first sample (line 1)"));
    }

    @Test
    void refusesTextThatIsNotPerfScript() {
        String message = refused("hello\n");
        assertTrue(
                message.startsWith("body is not perf script output: expected the first line that does not"
                        + " start with '#' to be a sample line"),
                message);
        assertTrue(message.endsWith("got \"hello\" (line 1)"), message);
    }

    @Test
    void refusesAFrameBeforeTheFirstSample() {
        assertTrue(refused("#\n" + FRAME + SAMPLE).endsWith("(line 2)"));
    }

    @Test
    void refusesCommentsWithoutSamples() {
        assertTrue(refused("# a\n# b\n").contains("only '#' comment lines"));
    }

    @Test
    void refusesGarbageAfterAValidStart() {
        String message = refused(SAMPLE + FRAME + "\n" + SAMPLE + "this is no frame\n");
        assertTrue(message.startsWith("body is not perf script output: line 5 is neither a sample line"), message);
        assertTrue(message.endsWith("got \"this is no frame\""), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\t0 f", "\t0 f (m", "\tzz f (m)", "\t0 (m)", "\t0  (m)", "0 f (m)", "\t0\tf (m)"})
    void refusesLinesThatAreNoFrames(String line) {
        assertTrue(refused(SAMPLE + line + "\n").contains("line 2 is neither a sample line"));
    }

    @Test
    void refusesATabIndentedLineThatReadsAsASample() {
        assertTrue(refused(SAMPLE + "\t0 f 12.5: x: (m)\n")
                .contains("line 2 is indented with a tab like a stack frame but reads as a sample line"));
    }

    @Test
    void refusesASampleEarlierThanTheOneBefore() {
        String message = refused("# header\n" + sample("10.100000") + FRAME + "\n" + sample("12.700000") + FRAME
                + sample("11.300000") + FRAME);
        assertEquals(
                "body is not perf script output: the sample on line 7 at 11.300000 s is earlier than the sample"
                        + " before it, on line 5 at 12.700000 s: samples must be in time order, since FlameScope"
                        + " reads a profile's end from its last sample (its heat map fails on any sample after that"
                        + " end)",
                message);
    }

    @Test
    void takesSamplesAtTheSameTime() {
        assertEquals(3, samples(sample("5.250000") + sample("5.25") + sample("5.250000")));
        assertEquals(2, samples(sample("5.000000") + sample("5.000001")));
    }

    @Test
    void refusesASingleSample() {
        assertEquals(
                "body is not perf script output: it holds one sample (line 2), and FlameScope needs two: its flame"
                        + " graph (app/perf/flame_graph.py, _get_profile_range) takes a profile's end only from a"
                        + " sample after its first, so with one its end stays -inf and ceil() raises OverflowError:"
                        + " HTTP 500",
                refused("# header\n" + SAMPLE + FRAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"48.000000", "48", "48.", "48.000000000"})
    void refusesALastSampleOnAWholeSecond(String time) {
        String message = refused(SAMPLE + FRAME + "\n" + sample(time) + FRAME);
        assertTrue(
                message.startsWith("body is not perf script output: the last sample, on line 4 at " + time
                        + " s, falls on a whole second: FlameScope's heat map (app/perf/heatmap.py,"
                        + " perf_read_offsets, and app/controllers/heatmap.py, generate_heatmap)"),
                message);
        assertTrue(message.endsWith("one column past them: IndexError, HTTP 500"), message);
    }

    /** The check's sample-count and whole-second rules answer as FlameScope's reading (the oracle) does. */
    @ParameterizedTest
    @CsvSource({
        "47.529493, , false",
        "47.529493, 48.000000, false",
        "48.000000, 48.000000, false",
        "47.529493, 48.000001, true",
        "47.500000, 47.500000, true",
        "48.000000, 48.500000, true",
    })
    void agreesWithFlameScope(String first, String second, boolean opens) {
        String body = sample(first) + FRAME + (second == null ? "" : "\n" + sample(second) + FRAME);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean flameScopeOpens;
        try {
            FlameScopeOracle.read("edge.perf", bytes);
            flameScopeOpens = true;
        } catch (FlameScopeFailure e) {
            flameScopeOpens = false;
        }
        assertEquals(opens, flameScopeOpens, "the oracle on " + body);
        if (opens) {
            assertEquals(second == null ? 1 : 2, samples(body));
        } else {
            refused(body);
        }
    }

    @Test
    void takesWholeSecondsBeforeTheLast() {
        assertEquals(3, samples(sample("47.000000") + sample("48.000000") + sample("48.000001")));
    }

    private static String sample(String time) {
        return "java 4242/4243 [000] " + time + ": 1 cpu-clock:\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "..", "1234567890123456789012345678901234"})
    void refusesTimesFlameScopeCannotRead(String time) {
        String message = refused("java 1 [000] " + time + ": 1 cpu-clock:\n");
        assertTrue(
                message.contains("the sample on line 1 has the time \"" + time + "\", which is not a number"), message);
    }

    @Test
    void refusesControlCharactersAndMalformedUtf8WithTheirLine() {
        assertTrue(refused(SAMPLE + "\t0 f\0 (m)\n").contains("line 2 holds control character 0x00"));
        assertTrue(refused(SAMPLE + "\t0 f\u007f (m)\n").contains("line 2 holds control character 0x7f"));
        for (byte[] bad : new byte[][] {
            {(byte) 0xff},
            {(byte) 0xc0, (byte) 0x80},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xe2, '\n'}
        }) {
            byte[] body = concat(SAMPLE.getBytes(StandardCharsets.UTF_8), bad);
            assertTrue(refused(body).contains("line 2 holds malformed UTF-8"), Arrays.toString(bad));
        }
        assertTrue(refused(concat(SAMPLE.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xe2, (byte) 0x82}))
                .contains("the body ends inside a character"));
    }

    @Test
    void refusesALineOverTheLimitAndShowsItsStart() {
        String message = refused(SAMPLE + "\t" + "a".repeat(PerfScriptCheck.MAX_LINE_BYTES) + "\n");
        assertTrue(
                message.startsWith("body is not perf script output: line 2 is longer than 65536 bytes: \"\ta"),
                message);
        assertTrue(message.endsWith("aaa...\""), message);
        String longest = SAMPLE + "\t0 f" + "a".repeat(PerfScriptCheck.MAX_LINE_BYTES - 8) + " (m)\n" + NEXT_SAMPLE;
        assertEquals(2, samples(longest.getBytes(StandardCharsets.UTF_8), 1000));
    }

    @Test
    void commentLinesTakeLinearTime() {
        // The first attack: 60 MB of '#' lines cost the old reader a copy of everything per line.
        byte[] chunk = "#\n".repeat(32 * 1024).getBytes(StandardCharsets.UTF_8);
        byte[] sample = (SAMPLE + NEXT_SAMPLE).getBytes(StandardCharsets.UTF_8);
        PerfScriptCheck check = new PerfScriptCheck();
        assertTimeoutPreemptively(LINEAR, () -> {
            for (long fed = 0; fed < 60_000_000; fed += chunk.length) {
                check.accept(chunk, 0, chunk.length);
            }
            check.accept(sample, 0, sample.length);
            check.finish();
        });
        assertEquals(2, check.samples());
    }

    @Test
    void longLinesTakeLinearTime() {
        // The second attack: "x", spaces, "y" made the sample regex backtrack quadratically.
        int n = PerfScriptCheck.MAX_LINE_BYTES - 2;
        assertTimeoutPreemptively(LINEAR, () -> {
            assertTrue(refused("x" + " ".repeat(n) + "y\n").contains("to be a sample line"));
            assertTrue(refused("x" + " 1".repeat(n / 2) + "\n").contains("to be a sample line"));
            assertTrue(refused("x" + "a1: ".repeat(n / 4) + "\n").contains("to be a sample line"));
            assertTrue(refused(SAMPLE + "\t0 f" + "(".repeat(n - 5) + ")\n").contains("line 2 is neither"));
            assertEquals(
                    2,
                    samples("x" + " ".repeat(n - 12) + "1.5: cpu: x\n" + "\t0" + " ".repeat(n - 8) + "(m)\n"
                            + NEXT_SAMPLE));
        });
    }

    @Test
    void sampleRuleIsFlameScopes() {
        assertTrue(isSample("a 1.5: b:"));
        assertTrue(isSample("a 1: b:c"));
        assertTrue(isSample("a  .: : x: 1.5: y:")); // the leftmost ": " after a time run decides
        assertFalse(isSample("a 1.5: :"), "needs a character between \": \" and ':'");
        assertFalse(isSample("a1.5: b:"), "needs a space before the time");
        assertFalse(isSample("a 1.5 : b:"));
        assertFalse(isSample("a 1.5:b:"));
        assertFalse(isSample(" 1.5: b"));
        assertTrue(isSample(" 1.5: bb:"));
        assertFalse(isSample("1.5: b:"), "the space before the time is part of the test");
    }

    @Test
    void sampleRuleMatchesFlameScopesRegexOnRandomLines() {
        // FlameScope's event_regexp (app/perf/regexp.py), which java.util.regex reads the same way.
        Pattern event = Pattern.compile(" +([0-9.]+): .+?:");
        Random random = new Random(7);
        char[] alphabet = {' ', ':', '.', '1', '9', 'a', '\t', '('};
        for (int n = 0; n < 200_000; n++) {
            char[] line = new char[1 + random.nextInt(14)];
            for (int i = 0; i < line.length; i++) {
                line[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String text = new String(line);
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            int end = PerfScriptCheck.sampleTimeEnd(b, 0, b.length);
            Matcher m = event.matcher(text);
            assertEquals(m.find() ? m.end(1) : -1, end, () -> "line \"" + text + "\"");
        }
    }

    @Test
    void wordTestAgreesWithTheByteTest() {
        Random random = new Random(3);
        for (int n = 0; n < 1_000_000; n++) {
            long w = random.nextLong();
            if (n % 2 == 0) { // mostly printable words, one byte anywhere
                w = 0;
                for (int k = 0; k < 8; k++) {
                    w |= (long) (0x20 + random.nextInt(0x5f)) << (8 * k);
                }
                int at = 8 * random.nextInt(8);
                w = w & ~(0xffL << at) | (long) random.nextInt(256) << at;
            }
            boolean plain = true;
            for (int k = 0; k < 8; k++) {
                int b = (int) (w >>> (8 * k)) & 0xff;
                plain &= b >= 0x20 && b < 0x7f;
            }
            assertEquals(plain, PerfScriptCheck.isPlain(w), Long.toHexString(w));
        }
    }

    @Test
    void readsTimesExactlyAsParseDouble() {
        Random random = new Random(11);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder time = new StringBuilder();
            int digits = 1 + random.nextInt(20);
            int dot = random.nextInt(digits + 2) - 1; // -1: no dot
            for (int i = 0; i < digits; i++) {
                if (i == dot) {
                    time.append('.');
                }
                time.append((char) ('0' + random.nextInt(10)));
            }
            if (dot == digits) {
                time.append('.');
            }
            byte[] b = time.toString().getBytes(StandardCharsets.US_ASCII);
            assertEquals(
                    Double.parseDouble(time.toString()),
                    PerfScriptCheck.seconds(b, 0, b.length),
                    () -> time.toString());
        }
    }

    @Test
    void frameRuleIsFlameScopes() {
        assertTrue(isFrame("\t0 f (m)"));
        assertTrue(isFrame(" \t 7fA0 a (b) c (d)"));
        assertTrue(isFrame("\t0 f ()"));
        assertTrue(isFrame("\t0 ( ()"));
        assertFalse(isFrame("\t0  ()"), "the name needs a character");
        assertFalse(isFrame("\t0 f (m) "));
        assertFalse(isFrame("\tg f (m)"));
    }

    private static boolean isSample(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return PerfScriptCheck.sampleTimeEnd(b, 0, b.length) >= 0;
    }

    private static boolean isFrame(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return PerfScriptCheck.isFrame(b, 0, b.length);
    }

    private static long samples(String body) {
        return samples(body.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
    }

    private static long samples(byte[] body, int chunk) {
        PerfScriptCheck check = new PerfScriptCheck();
        for (int i = 0; i < body.length; i += chunk) {
            check.accept(body, i, Math.min(chunk, body.length - i));
        }
        check.finish();
        return check.samples();
    }

    private static String refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(byte[] body) {
        ApiException e = assertThrows(ApiException.class, () -> samples(body, 4096));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
