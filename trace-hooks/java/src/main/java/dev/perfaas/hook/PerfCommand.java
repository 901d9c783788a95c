package dev.perfaas.hook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of one {@code perf record}, worked out once: the threads it follows are read
 * when it is made, so the command perf runs and the target a later check compares with are the same.
 */
record PerfCommand(String perf, int frequencyHz, List<String> target, String control, Path data) {

    /** {@code control}: perf's --control argument, {@code fifo:CTL,ACK}. */
    static PerfCommand of(String perf, int frequencyHz, Collection<Long> threads, String control, Path data) {
        return new PerfCommand(perf, frequencyHz, target(threads), control, data);
    }

    /**
     * perf applies a toggle to every event fd, one per thread and CPU: on a whole JVM (-p) that
     * took ~0.85 ms here, on one thread (-t) ~0.14 ms. So perf follows the threads that run
     * invocations when the runtime named them (those still alive), and the whole process otherwise.
     */
    static List<String> target(Collection<Long> threads) {
        String live = threads.stream()
                .filter(t -> Files.exists(Path.of("/proc/self/task", t.toString())))
                .sorted()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
        return live.isEmpty()
                ? List.of("-p", Long.toString(ProcessHandle.current().pid()))
                : List.of("-t", live);
    }

    List<String> argv() {
        List<String> cmd = new ArrayList<>(List.of(perf, "record", "-F", Integer.toString(frequencyHz), "-g"));
        cmd.addAll(target);
        cmd.addAll(List.of(
                "-D",
                "-1", // start with events disabled
                "--no-bpf-event", // else shutdown waits ~1 s on the BPF side-band thread
                "-k",
                "CLOCK_MONOTONIC", // sample times comparable with System.nanoTime()
                "--control=" + control,
                "--switch-output=signal", // SIGUSR2 cuts a profile; implies --no-buildid
                "-q", // no line per toggle, which would grow the log for as long as perf runs; errors still show
                "-o",
                data.toString()));
        return cmd;
    }
}
