package dev.perfaas.hook;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which sampling engine runs, and why the others were refused. The engine asked for (the
 * policy's, or PERFAAS_ENGINE's, which pins it) is tried first, then async-profiler, then JFR:
 * the first that starts samples. perf is used only when asked for: it needs frame pointers set
 * when the JVM starts and a platform that allows perf_event_open. A refusal is kept for the life
 * of the process (perf denied by seccomp stays denied) and is sent with every report. A perf
 * that fails while recording is started again, and refused once that keeps happening.
 */
final class Engines {
    static final String ASYNC = "async";
    static final String ASYNC_CPU = "async-cpu";
    static final String PERF = "perf";
    static final String JFR = "jfr";
    static final List<String> NAMES = List.of(ASYNC, ASYNC_CPU, PERF, JFR);
    private static final System.Logger LOG = System.getLogger("perfaas");

    /** perf failing this often while recording is refused (see {@link #perfFailed}). */
    static final int PERF_FAILURES_REFUSED = 3;

    static final Duration PERF_FAILURE_SPAN = Duration.ofHours(1);

    private final HookConfig config;
    private final CpuAccount cpu;
    private final RequestThreads requestThreads;
    private final Map<String, String> refused = new TreeMap<>(); // guarded by this
    private final List<Long> perfFailures = new ArrayList<>(); // System.nanoTime() of each; guarded by this
    private long sessions; // guarded by this

    Engines(HookConfig config, CpuAccount cpu, RequestThreads requestThreads) {
        this.config = config;
        this.cpu = cpu;
        this.requestThreads = requestThreads;
    }

    /** The engines to try for what the policy asks, in order: the asked one, then async, then JFR. */
    static List<String> order(String asked) {
        List<String> order = new ArrayList<>();
        if (NAMES.contains(asked)) {
            order.add(asked);
        }
        for (String fallback : List.of(ASYNC, JFR)) {
            if (!order.contains(fallback)) {
                order.add(fallback);
            }
        }
        return order;
    }

    /** What the hook asks for: PERFAAS_ENGINE when set, else the policy's engine. */
    String asked(Policy p) {
        return config.engine() != null ? config.engine() : p.engine();
    }

    /** The engine that would run for {@code asked} now, or null when every one was refused. */
    synchronized String choice(String asked) {
        for (String name : order(asked)) {
            if (!refused.containsKey(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * Starts the first engine of {@link #order} that works, for the profile after
     * {@code previous} (null for none): a perf that still serves goes on into it, cut by rotating
     * its output instead of a restart. Null when no engine works.
     */
    synchronized Sampler start(String asked, int frequencyHz, Sampler previous) {
        for (String name : order(asked)) {
            if (refused.containsKey(name)) {
                continue;
            }
            String session = "s" + (++sessions);
            if (name.equals(PERF) && previous instanceof PerfSession p) {
                try {
                    PerfSession next = p.handOver(frequencyHz, requestThreads.ids(), session);
                    if (next != null) {
                        return next;
                    }
                } catch (IOException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "cannot rotate perf's output (" + e.getMessage() + "): starting a new perf");
                }
                if (p.failure() != null && perfFailed(p.failure())) {
                    continue;
                }
            }
            try {
                return start(name, frequencyHz, config.spoolDir(), session);
            } catch (EngineUnavailableException e) {
                refuse(name, e.getMessage());
            }
        }
        return null;
    }

    /**
     * perf exited on its own or stopped answering while recording (killed, out of memory, the
     * threads it followed gone): it is started again in its place, unless that happened
     * {@link #PERF_FAILURES_REFUSED} times within {@link #PERF_FAILURE_SPAN}; then it is refused,
     * saying why, and the next engine takes over (true).
     */
    private boolean perfFailed(String why) {
        long now = System.nanoTime();
        perfFailures.removeIf(t -> now - t > PERF_FAILURE_SPAN.toNanos());
        perfFailures.add(now);
        if (perfFailures.size() < PERF_FAILURES_REFUSED) {
            LOG.log(System.Logger.Level.WARNING, why + "; starting perf again");
            return false;
        }
        refuse(
                PERF,
                "perf failed " + perfFailures.size() + " times within " + PERF_FAILURE_SPAN.toMinutes()
                        + " minutes, last: " + why);
        return true;
    }

    private void refuse(String name, String why) {
        refused.put(name, why);
        LOG.log(System.Logger.Level.WARNING, "sampling engine " + name + " refused: " + why);
    }

    private Sampler start(String name, int hz, Path dir, String session) throws EngineUnavailableException {
        return switch (name) {
            case PERF -> {
                if (!framePointersPreserved()) {
                    throw new EngineUnavailableException(
                            "the JVM runs without -XX:+PreserveFramePointer, so perf cannot walk"
                                    + " Java stacks: set PERFAAS_ENGINE=perf in the function's environment (the template's run.sh then adds it)");
                }
                yield PerfSession.first(
                        PerfRecorder.start(config.perfCommand(), hz, dir, session, requestThreads.ids(), cpu), session);
            }
            case ASYNC -> AsyncSession.start(false, hz, dir, session, cpu);
            case ASYNC_CPU -> AsyncSession.start(true, hz, dir, session, cpu);
            case JFR -> JfrSession.start(hz, dir, session, cpu);
            default -> throw new EngineUnavailableException("unknown engine " + name);
        };
    }

    /**
     * Loads async-profiler's library ahead of need, unless this function is pinned to another
     * engine; a library that cannot load is refused here, so the first report already says why.
     */
    synchronized void load() {
        if (config.engine() != null
                && !config.engine().equals(ASYNC)
                && !config.engine().equals(ASYNC_CPU)) {
            return;
        }
        try {
            AsyncSession.load();
        } catch (EngineUnavailableException e) {
            refuse(ASYNC, e.getMessage());
        }
    }

    /** Why engines were refused, by name; empty while none was. */
    synchronized Map<String, String> refused() {
        return new TreeMap<>(refused);
    }

    private static boolean framePointersPreserved() {
        try {
            return "true"
                    .equals(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                            .getVMOption("PreserveFramePointer")
                            .getValue());
        } catch (RuntimeException e) {
            return false; // not HotSpot: no such flag
        }
    }
}
