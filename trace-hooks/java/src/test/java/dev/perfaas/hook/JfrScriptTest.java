package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The perf script text the in-process engines write, pinned line by line. */
class JfrScriptTest {
    /** FlameScope's tests (app/perf/regexp.py): a sample line, and a frame line. */
    private static final Pattern EVENT = Pattern.compile(" +([0-9.]+): .+?:");

    private static final Pattern FRAME = Pattern.compile("^[\\t ]*[0-9a-fA-F]+ (.+) \\((.*?)\\)$");

    @Test
    void writesSamplesAsPerfScriptDoes() {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendHeader(sb, "perfaas-request", 4242, 4250, 47_519_493_123L, JfrScript.RUNNING);
        JfrScript.appendFrame(sb, "com.openfaas.function.Handler", "leibnizPi", "JIT compiled");
        JfrScript.appendFrame(sb, "java.lang.Object", "wait", "Native");
        JfrScript.appendFrame(sb, null, "do_syscall_64", "Kernel");
        assertEquals("""
                perfaas-request 4242/4250 [000] 47.519493: 1 wall-running:
                \t0 com.openfaas.function.Handler.leibnizPi (java)
                \t0 java.lang.Object.wait (native)
                \t0 do_syscall_64 ([kernel.kallsyms])
                """, sb.toString());
    }

    @Test
    void sampleLinesAreWhatFlameScopeAndThePerfParserRead() {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendHeader(sb, "pool-1-thread-2", 1, 2, 5_000_001_999L, JfrScript.WAITING);
        String header = sb.toString().strip();
        assertEquals("pool-1-thread-2 1/2 [000] 5.000001: 1 wall-waiting:", header);
        assertTrue(EVENT.matcher(header).find());
        assertEquals(
                5_000_001_000L, PerfScript.sampleTimeNanos(header), "times round to microseconds, as perf prints them");
        sb.setLength(0);
        JfrScript.appendFrame(sb, "a.B", "c", "Interpreted");
        assertTrue(FRAME.matcher(sb.toString().strip()).matches(), sb.toString());
    }

    @Test
    void aBlankThreadNameIsJava() {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendHeader(sb, " ", 1, 2, 1_000L, JfrScript.JFR_RUNNING);
        assertEquals("java 1/2 [000] 0.000001: 1 jfr-running:\n", sb.toString());
    }

    @Test
    void controlCharactersInNamesStayOnTheirLine() {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendHeader(sb, "a\rb\nc\td", 1, 2, 1_000L, JfrScript.RUNNING);
        JfrScript.appendFrame(sb, "x\ry", "m\u0000n", "Interpreted");
        assertEquals("a b c d 1/2 [000] 0.000001: 1 wall-running:\n\t0 x y.m n (java)\n", sb.toString());
    }
}
