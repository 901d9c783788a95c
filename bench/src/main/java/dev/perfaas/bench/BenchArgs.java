package dev.perfaas.bench;

import java.util.List;
import java.util.Map;

/** The harnesses' flags: {@code --name value}, or the fallback when absent. */
final class BenchArgs {
    private BenchArgs() {}

    static String opt(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    /**
     * The traced function's environment for --engine: the controller asks for the engine, and perf
     * also needs the function pinned to it (PERFAAS_ENGINE=perf), which makes run.sh keep frame pointers.
     */
    static Map<String, String> engineEnv(String engine) {
        return engine.equals("perf") ? Map.of("PERFAAS_ENGINE", "perf") : Map.of();
    }
}
