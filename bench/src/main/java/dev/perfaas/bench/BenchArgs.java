package dev.perfaas.bench;

import java.util.List;

/** The harnesses' flags: {@code --name value}, or the fallback when absent. */
final class BenchArgs {
    private BenchArgs() {}

    static String opt(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
