package dev.perfaas.controller.loop;

import dev.perfaas.controller.functions.ReceivedReport;
import dev.perfaas.controller.functions.WindowReport;
import java.util.List;

/** Window reports for the loop's tests; CPU in milliseconds to keep the tables readable. */
final class Reports {

    static final long MS = 1_000_000;

    private Reports() {}

    /** A 60 s window starting at {@code startSeconds}, without traced or control-group measurements. */
    static ReceivedReport window(
            String instance,
            long startSeconds,
            long invocations,
            long traced,
            long samples,
            long processMs,
            long hookMs,
            long perfMs) {
        return measured(
                instance, startSeconds, 60, invocations, traced, samples, processMs, hookMs, perfMs, 0, 0, 0, 0);
    }

    static ReceivedReport measured(
            String instance,
            long startSeconds,
            long seconds,
            long invocations,
            long traced,
            long samples,
            long processMs,
            long hookMs,
            long perfMs,
            long tracedMs,
            long tracedMeasured,
            long controlMs,
            long controlMeasured) {
        return report(
                "perf",
                instance,
                startSeconds,
                seconds,
                invocations,
                traced,
                samples,
                processMs,
                hookMs,
                perfMs,
                tracedMs,
                tracedMeasured,
                controlMs,
                controlMeasured,
                false);
    }

    /** A 60 s window sampled by {@code engine} (null: a hook that names none). */
    static ReceivedReport by(String engine, String instance) {
        return report(engine, instance, 0, 60, 100, 10, 500, 1000, 5, 0, 0, 0, 0, 0, false);
    }

    /** A 60 s window whose perf session goes on into the next one: its samples come later. */
    static ReceivedReport carried(String instance, long startSeconds, long invocations, long traced, long processMs) {
        return report("perf", instance, startSeconds, 60, invocations, traced, 0, processMs, 0, 0, 0, 0, 0, 0, true);
    }

    private static ReceivedReport report(
            String engine,
            String instance,
            long startSeconds,
            long seconds,
            long invocations,
            long traced,
            long samples,
            long processMs,
            long hookMs,
            long perfMs,
            long tracedMs,
            long tracedMeasured,
            long controlMs,
            long controlMeasured,
            boolean samplesPending) {
        WindowReport r = new WindowReport(
                "fn",
                instance,
                startSeconds * 1000,
                (startSeconds + seconds) * 1000,
                engine,
                null,
                0,
                1,
                0.01,
                99,
                invocations,
                traced,
                0,
                0,
                processMs * MS,
                hookMs * MS,
                perfMs * MS,
                tracedMs * MS,
                tracedMeasured,
                controlMs * MS,
                controlMeasured,
                0,
                0,
                samples,
                0,
                null,
                List.of(),
                samplesPending,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        return received(0, 0, r);
    }

    static ReceivedReport received(long sequence, long receivedMillis, WindowReport r) {
        return new ReceivedReport(sequence, receivedMillis, r.function(), r.instance(), r);
    }

    static ReceivedReport at(long sequence, long receivedMillis, String instance) {
        return received(
                sequence, receivedMillis, window(instance, 0, 1, 0, 0, 1, 0, 0).report());
    }
}
