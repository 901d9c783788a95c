package dev.perfaas.bench;

import java.util.Map;

/** What the harnesses share about their command lines; the flags themselves are launcher's {@code Flags}. */
final class BenchArgs {
    private BenchArgs() {}

    /**
     * The traced function's environment for --engine: the controller asks for the engine, and perf
     * also needs the function pinned to it (PERFAAS_ENGINE=perf), which makes run.sh keep frame pointers.
     */
    static Map<String, String> engineEnv(String engine) {
        return engine.equals("perf") ? Map.of("PERFAAS_ENGINE", "perf") : Map.of();
    }
}
