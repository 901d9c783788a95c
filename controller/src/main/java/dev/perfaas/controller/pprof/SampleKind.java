package dev.perfaas.controller.pprof;

import java.util.Set;

/**
 * What a profile's samples measure, as pprof's sample and period types name it: {@code cpu} (a sample
 * per period of CPU time: perf's cpu-clock or cycles, async-profiler's CPU timer, JFR's execution samples of running threads) or
 * {@code wall} (a sample per period of a thread's wall time, running or waiting: async-profiler's wall
 * mode, the slow-call stack walk). Grafana Pyroscope derives its profile types from these names
 * ({@code process_cpu:cpu:nanoseconds:cpu:nanoseconds}, {@code wall:wall:nanoseconds:wall:nanoseconds}).
 */
public enum SampleKind {
    CPU("cpu"),
    WALL("wall");

    /** The hooks' wall-clock events: {@code wall-running}, {@code wall-waiting}. */
    static final String WALL_EVENT = "wall-";

    private static final Set<String> WALL_ENGINES = Set.of("async", "stack-walk");
    private static final Set<String> CPU_ENGINES = Set.of("async-cpu", "perf", "host-perf", "jfr");

    /** pprof's type name: the sample type's and the period type's. */
    public final String type;

    SampleKind(String type) {
        this.type = type;
    }

    /**
     * The kind of a profile by its engine; an engine perfaas does not know (a seed upload's
     * {@code unknown}) by its events: wall when every one is a hook's wall event, else cpu.
     */
    static SampleKind of(String engine, boolean everyEventWall) {
        if (WALL_ENGINES.contains(engine)) {
            return WALL;
        }
        if (CPU_ENGINES.contains(engine)) {
            return CPU;
        }
        return everyEventWall ? WALL : CPU;
    }
}
