package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** No renderer writes a sample time on a whole second (FlameScope's heat map fails on a last one), and order stays. */
class WholeSecondTest {

    @ParameterizedTest(name = "{0} ns is written {1}")
    @CsvSource({
        "5000000000, 5.000001",
        "5000000999, 5.000001",
        "5000001000, 5.000001",
        "5000001999, 5.000001",
        "5000002000, 5.000002",
        "4999999999, 4.999999",
        "47519493123, 47.519493",
        "0, 0.000001",
    })
    void jfrAndSlowCallTimes(long nanos, String written) {
        StringBuilder sb = new StringBuilder();
        JfrScript.appendHeader(sb, "t", 1, 2, nanos, JfrScript.RUNNING);
        assertEquals("t 1/2 [000] " + written + ": 1 wall-running:\n", sb.toString());
    }

    @Test
    void writtenTimesKeepTheOrderAroundAWholeSecond() {
        long previous = Long.MIN_VALUE;
        for (long micros = 4_999_998; micros <= 5_000_003; micros++) {
            long written = JfrScript.offWholeSecond(micros);
            assertTrue(written >= previous, micros + " us is written before the time before it");
            assertTrue(written % 1_000_000 != 0, micros + " us is written on a whole second");
            previous = written;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "java 4242 [001] 47.000000: 2004008 cpu-clock:pppH: | java 4242 [001] 47.000001: 2004008 cpu-clock:pppH:",
                "sh  4002   522.000000:   10101010 cpu-clock:pppH: | sh  4002   522.000001:   10101010 cpu-clock:pppH:",
                "java 1 [1] 1.000000000: 1 cpu-clock: | java 1 [1] 1.000000001: 1 cpu-clock:",
                "java 4242 [001] 47.000010: 2004008 cpu-clock: | java 4242 [001] 47.000010: 2004008 cpu-clock:",
                "java 4242 [001] 47.100000: 2004008 cpu-clock: | java 4242 [001] 47.100000: 2004008 cpu-clock:",
                "java 4242 [001] 46.999999: 2004008 cpu-clock: | java 4242 [001] 46.999999: 2004008 cpu-clock:",
            })
    void perfSampleLines(String line, String written) {
        assertEquals(written, PerfScript.offWholeSecond(line));
        long nanos = PerfScript.sampleTimeNanos(written);
        assertTrue(nanos % 1_000_000_000L != 0, "on a whole second: " + written);
        assertTrue(nanos - PerfScript.sampleTimeNanos(line) <= 1_000, "moved more than 1 us: " + written);
    }
}
