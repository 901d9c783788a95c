package dev.perfaas.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The threads the runtime named as running invocations, by kernel thread id: those perf follows ({@code -t}). */
final class RequestThreads {
    private static final System.Logger LOG = System.getLogger("perfaas");
    private final Set<Long> ids = ConcurrentHashMap.newKeySet();

    /** The calling thread's kernel thread id, from /proc. */
    static long currentId() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self"))
                .getFileName()
                .toString());
    }

    void addCurrent() {
        try {
            ids.add(currentId());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no thread id for perf (" + e + "): the whole process is sampled");
        }
    }

    /** The ids named so far, some of whose threads may have ended since. */
    List<Long> ids() {
        return List.copyOf(ids);
    }
}
