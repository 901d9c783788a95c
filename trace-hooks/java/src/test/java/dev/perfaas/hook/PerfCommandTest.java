package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfCommandTest {
    private static final List<String> WHOLE_JVM =
            List.of("-p", Long.toString(ProcessHandle.current().pid()));

    @Test
    void followsTheNamedThreadsStillAliveSortedAndTheWholeJvmWhenNoneIs() throws Exception {
        long me = PerfSessionTest.threadId();
        long gone = Long.MAX_VALUE; // no such task
        assertEquals(List.of("-t", Long.toString(me)), PerfCommand.target(List.of(gone, me)));
        assertEquals(WHOLE_JVM, PerfCommand.target(List.of()));
        assertEquals(WHOLE_JVM, PerfCommand.target(List.of(gone)));
        long pid = ProcessHandle.current().pid(); // the main thread's task id is the pid
        String both = Math.min(me, pid) + "," + Math.max(me, pid);
        if (me != pid) {
            assertEquals(List.of("-t", both), PerfCommand.target(List.of(Math.max(me, pid), Math.min(me, pid))));
        }
    }

    @Test
    void theCommandLineRunsWhatItWasMadeWith() {
        PerfCommand c = PerfCommand.of("/usr/bin/perf", 99, List.of(), "fifo:/s/a.ctl,/s/a.ack", Path.of("/s/a.data"));
        List<String> argv = c.argv();
        assertEquals(List.of("/usr/bin/perf", "record", "-F", "99", "-g"), argv.subList(0, 5));
        assertEquals(WHOLE_JVM, argv.subList(5, 7));
        assertEquals(c.target(), argv.subList(5, 7), "the target perf runs on is the one kept for comparison");
        assertEquals(1, Collections.frequency(argv, "-p"));
        assertEquals("--control=fifo:/s/a.ctl,/s/a.ack", argv.get(argv.indexOf("--switch-output=signal") - 1));
        assertEquals(List.of("-o", "/s/a.data"), argv.subList(argv.size() - 2, argv.size()));
        assertEquals(List.of("-D", "-1"), argv.subList(7, 9), "events start disabled");
    }
}
