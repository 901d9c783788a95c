package dev.perfaas.hook;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Writes /tmp/perf-PID.map, the symbol map perf script uses for JIT-compiled Java frames, from
 * inside the JVM (same as {@code jcmd PID Compiler.perfmap}, JDK 17+). Compiled code changes, so
 * it is refreshed right before each symbolization.
 */
final class PerfMap {
    private static final System.Logger LOG = System.getLogger("perfaas");
    private static boolean warned;

    private PerfMap() {}

    static synchronized void refresh() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerPerfmap",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "cannot write the JIT perf map (Java frames will show as addresses): " + e);
            }
        }
    }
}
