package dev.perfaas.controller.functions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * A function's cold starts in GET /v1/functions/{function}: {@code count} instances (processes)
 * that served a first invocation, each counted once, against the function's {@code invocations}
 * ({@code rate}), both kept across controller restarts; over the last ones kept, their first
 * invocation's latency, apart from the warm ones in {@link Latency}, their init (JVM start to the
 * runtime ready) and their time to a first invocation (JVM start to it), and the latest few.
 */
public record ColdStarts(
        long count,
        long invocations,
        Double rate,
        Percentiles latency,
        Summary startToReadyMillis,
        Summary timeToFirstInvocationMillis,
        List<Instance> latest) {

    /** How many of the kept cold starts the API lists, newest first. */
    static final int LATEST = 10;

    static ColdStarts of(long count, long invocations, Collection<Instance> kept) {
        Histogram latency = HookBuckets.histogram();
        kept.forEach(i -> latency.recordValue(i.firstInvocationNanos()));
        List<Instance> all = new ArrayList<>(kept);
        List<Instance> latest = new ArrayList<>(all.subList(Math.max(0, all.size() - LATEST), all.size()));
        Collections.reverse(latest);
        return new ColdStarts(
                count,
                invocations,
                invocations > 0 ? (double) count / invocations : null,
                Percentiles.of(latency),
                Summary.of(kept, Instance::startToReadyMillis),
                Summary.of(kept, Instance::timeToFirstInvocationMillis),
                latest);
    }

    /** One cold start: the instance's name, its process and container, and its figures. */
    public record Instance(
            String instance,
            String bootId,
            String hostname,
            String cgroup,
            Long pid,
            Long processStartMillis,
            Long startToReadyMillis,
            long timeToFirstInvocationMillis,
            long firstInvocationNanos,
            long receivedMillis) {

        static Instance of(String instance, WindowReport.ColdStart c, long receivedMillis) {
            return new Instance(
                    instance,
                    c.bootId(),
                    c.hostname(),
                    c.cgroup(),
                    c.pid(),
                    c.processStartMillis(),
                    c.startToReadyMillis(),
                    c.uptimeMillisAtFirstInvocation(),
                    c.firstInvocationNanos(),
                    receivedMillis);
        }

        /**
         * What makes two reports the same cold start: the instance name with its process (pid, JVM start)
         * and container (boot, host, cgroup), so a restarted pod under the same name counts again and a
         * report sent twice does not. Hooks without an identity: the name with the first invocation's
         * uptime and latency, which a resent report repeats and another process matches to the
         * nanosecond only by chance.
         */
        String identity() {
            if (pid == null || processStartMillis == null) {
                return String.join(
                        "\n",
                        instance,
                        "uptime",
                        Long.toString(timeToFirstInvocationMillis),
                        Long.toString(firstInvocationNanos));
            }
            return String.join(
                    "\n",
                    instance,
                    String.valueOf(bootId),
                    String.valueOf(hostname),
                    String.valueOf(cgroup),
                    Long.toString(pid),
                    Long.toString(processStartMillis));
        }
    }

    /** Milliseconds over {@code count} cold starts; min, median and max null when none says. */
    public record Summary(long count, Long min, Long median, Long max) {
        static Summary of(Collection<Instance> kept, Function<Instance, Long> field) {
            long[] values = kept.stream()
                    .map(field)
                    .filter(Objects::nonNull)
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            if (values.length == 0) {
                return new Summary(0, null, null, null);
            }
            return new Summary(values.length, values[0], values[(values.length - 1) / 2], values[values.length - 1]);
        }
    }
}
