package dev.perfaas.hook;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Frame names that are the same in every JVM running the same code. The JVM names some classes it
 * makes at run time after an address or a counter of this process, so the same code path has another
 * name in each instance: profiles of two instances would not merge into one tree, and a diff of them
 * would paint the runtime's own frames as changed. Each rule below drops such a part, and nothing a
 * user's own class or method can be named: every engine's frames go through {@link #stable}, and
 * the node agent's perf script lines through {@link #stablePerfFrame}.
 */
public final class FrameNames {
    /**
     * JDK 17-20 number their lambda classes in the order they are spun ({@code Foo$$Lambda$145}).
     * The number goes only where a hidden-class address follows (so this rule runs before the
     * address goes), so a user's own class, not hidden, named {@code Foo$$Lambda$1} stays.
     */
    private static final Pattern LAMBDA_NUMBER = Pattern.compile("\\$\\$Lambda\\$\\d+(?=[/+.]0x)");

    /**
     * A hidden class (lambdas, {@code LambdaForm$MH}, {@code $DMH}, {@code $BMH}, a
     * framework's own) carries its address, different in every process: {@code Class.getName()} and
     * the perf map write {@code Foo$$Lambda$145/0x0000000800c01234}, HotSpot's symbol as JFR reads it
     * {@code Foo$$Lambda$65+0x00007f4a20000a10.592959754} (JFR adds a per-process number), async-profiler
     * {@code Foo$$Lambda$145.0x00007f64d00d44d0}. No Java identifier starts with a digit, so
     * {@code [/+.]0x<hex>} is never part of a name a user chose.
     */
    private static final Pattern HIDDEN_ADDRESS = Pattern.compile("[/+.]0x\\p{XDigit}+(?:\\.\\d+)?(?![\\w$])");

    /**
     * Reflection's generated accessors (JDK up to 21; {@code sun.reflect} before 9) are
     * numbered per process. Only in the JDK's own package, so a user's class of that name keeps it.
     */
    private static final Pattern ACCESSOR_NUMBER = Pattern.compile(
            "(?<![\\w$.])((?:jdk\\.internal|sun)\\.reflect\\.Generated(?:Serialization)?(?:Method|Constructor)Accessor)"
                    + "\\d+(?![\\w$])");

    /**
     * Proxy classes are numbered per process, {@code $Proxy12}, a class of its own in a package
     * (never nested, so never after a '$'), followed by its method or nothing. {@link java.lang.reflect.Proxy}
     * reserves the names that begin with {@code $Proxy}; a method so named stays ({@code Foo.$Proxy12(int)}
     * in the perf map is followed by its parameters).
     */
    private static final Pattern PROXY_NUMBER = Pattern.compile("(?<=\\.)\\$Proxy\\d+(?=\\.|$)");

    /** JDK 16+ puts proxies of public interfaces in dynamic modules {@code jdk.proxy1, jdk.proxy2, ...}, numbered per process. */
    private static final Pattern PROXY_MODULE = Pattern.compile("(?<![\\w$.])jdk\\.proxy\\d+(?=\\.\\$Proxy)");

    /** Rewrites kept per distinct name (a few hundred lambdas, proxies, accessors); bounded against a program that spins classes forever. */
    private static final int MAX_CACHED = 4096;

    private static final Map<String, String> REWRITTEN = new ConcurrentHashMap<>();

    private FrameNames() {}

    /**
     * The name with the per-process parts dropped: a class name, or a whole frame symbol as the perf
     * map writes it ({@code double Foo$$Lambda$38/0x00007f4a20069130.apply(int)}). Most names hold
     * none and are returned as they are, without allocating.
     */
    static String stable(String name) {
        if (name == null || !mayChange(name)) {
            return name;
        }
        String stable = REWRITTEN.get(name);
        if (stable == null) {
            stable = rewrite(name);
            if (REWRITTEN.size() < MAX_CACHED) {
                REWRITTEN.put(name, stable);
            }
        }
        return stable;
    }

    /**
     * A {@code perf script} frame line ({@code \t    7f4a854964c0 symbol+0x44 (module)}) with its
     * symbol made stable and without perf's offset into the symbol: the offset into JIT-compiled code
     * differs per process, and FlameScope, which does not strip it, draws each offset of one method
     * as a frame of its own (the FlameGraph scripts strip it too). The address and the module stay;
     * any other line is returned as it is.
     */
    public static String stablePerfFrame(String line) {
        if (line.isEmpty() || line.charAt(0) != '\t') {
            return line;
        }
        int address = 1;
        while (address < line.length() && line.charAt(address) == ' ') {
            address++;
        }
        int symbol = line.indexOf(' ', address) + 1;
        int module = line.lastIndexOf(" (");
        if (symbol <= 0 || module < symbol) {
            return line;
        }
        int end = offsetAt(line, symbol, module);
        if (end == module && !mayChange(line)) {
            return line;
        }
        String name = line.substring(symbol, end);
        String stable = stable(name);
        return end == module && stable.equals(name)
                ? line
                : line.substring(0, symbol) + stable + line.substring(module);
    }

    /** Where {@code +0x<hex>} ends the symbol in {@code line[from, to)}, or {@code to} when it does not. */
    private static int offsetAt(String line, int from, int to) {
        int plus = line.lastIndexOf("+0x", to - 1);
        if (plus < from || plus + 3 == to) {
            return to;
        }
        for (int i = plus + 3; i < to; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) {
                return to;
            }
        }
        return plus;
    }

    /** A cheap look for the text every rule needs; a false positive only costs a rewrite that changes nothing. */
    private static boolean mayChange(String s) {
        return s.contains("0x") || s.contains("$Proxy") || s.contains("reflect.Generated");
    }

    private static String rewrite(String name) {
        String s = LAMBDA_NUMBER.matcher(name).replaceAll("\\$\\$Lambda");
        s = HIDDEN_ADDRESS.matcher(s).replaceAll("");
        s = ACCESSOR_NUMBER.matcher(s).replaceAll("$1");
        s = PROXY_NUMBER.matcher(s).replaceAll("\\$Proxy");
        return PROXY_MODULE.matcher(s).replaceAll("jdk.proxy");
    }
}
