package dev.perfaas.hook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Writes /tmp/perf-PID.map, the symbol map perf script uses for JIT-compiled Java frames, from
 * inside the JVM (same as {@code jcmd PID Compiler.perfmap}, JDK 17+). Compiled code changes, so
 * it is refreshed right before each symbolization, and removed right after: ~300 KB that would
 * otherwise stay in /tmp after the function stops. A map that was there before we wrote ours is
 * someone else's (an operator's jcmd, say): it is refreshed for perf script but not removed.
 */
final class PerfMap {
    private static final System.Logger LOG = System.getLogger("perfaas");
    static final Path FILE = Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".map");
    private static boolean warned;
    private static boolean ours; // the map in place is one we wrote: release() removes it

    private PerfMap() {}

    static synchronized void refresh() {
        boolean someoneElses = !ours && Files.exists(FILE);
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerPerfmap",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            ours = !someoneElses;
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot write the JIT perf map (Java frames will show as addresses): " + e);
            }
        }
    }

    /** Removes the map once perf script has read it, if we wrote it. */
    static synchronized void release() {
        if (!ours) {
            return;
        }
        try {
            Files.deleteIfExists(FILE);
            ours = false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot delete " + FILE + ": " + e.getMessage());
        }
    }
}
