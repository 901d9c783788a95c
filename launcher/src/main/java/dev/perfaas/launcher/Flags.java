package dev.perfaas.launcher;

import java.util.List;

/** Command-line flags {@code --name value}: the one rule of ./perfaas and the benchmark harnesses. */
public final class Flags {
    private Flags() {}

    /**
     * The value after {@code flag}, removed from {@code args} with the flag so the caller can tell
     * what is left over; {@code fallback} when the flag is absent. A flag without a value is an error,
     * never the fallback: a mistyped command line must not run with a default.
     */
    public static String take(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
