package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The launcher's tests that run the perf engine need a perf that can sample ({@link PerfCheck}).
 * Without one they are skipped and say so loudly on stderr: a skipped perf test has checked nothing.
 * With PERFAAS_REQUIRE_PERF=true (.ci/run sets it) that is a failure instead.
 */
final class RealPerf {
    private RealPerf() {}

    static void assumeWorks() {
        if (PerfCheck.problem().isEmpty()) {
            return;
        }
        String notice = PerfCheck.notice("the launcher's perf-engine tests");
        String rule = "!".repeat(100);
        System.err.println("\n" + rule + "\n!!! " + notice.replace("\n", "\n!!! ") + "\n" + rule + "\n");
        if (PerfCheck.required()) {
            fail(notice);
        }
        Assumptions.abort(notice);
    }
}
