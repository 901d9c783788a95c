package dev.perfaas.flamescope;

import java.util.regex.Pattern;

/**
 * FlameScope's regular expressions for perf script text (app/perf/regexp.py), compiled so they
 * match as Python's {@code re} does on one line of a file read in text mode: UNIX_LINES makes
 * '.' and '$' treat only '\n' as a line end, as Python's do.
 */
final class PerfRegexps {

    /** {@code event_regexp}: a sample line, searched anywhere in the line; group 1 is its time in seconds. */
    static final Pattern EVENT = Pattern.compile(" +([0-9.]+): .+?:", Pattern.UNIX_LINES);
    /** {@code frame_regexp}: a stack frame line; group 1 the symbol, group 2 the module. */
    static final Pattern FRAME = Pattern.compile("^[\\t ]*[0-9a-fA-F]+ (.+) \\((.*?)\\)$", Pattern.UNIX_LINES);
    /** {@code comm_regexp}: the process name, what a sample line holds before its first digit. */
    static final Pattern COMM = Pattern.compile("^ *([^0-9]+)", Pattern.UNIX_LINES);
    /** {@code idle_regexp}: "swapper" followed anywhere later by one of the kernel's idle functions. */
    static final Pattern IDLE = Pattern.compile(
            "swapper.*(cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|xen_hypercall_sched_op"
                    + "|xen_hypercall_vcpu_op)",
            Pattern.UNIX_LINES);

    private PerfRegexps() {}
}
