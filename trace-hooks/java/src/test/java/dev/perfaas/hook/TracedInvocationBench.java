package dev.perfaas.hook;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * What tracing adds to one invocation, with each real engine on this JVM side by side in one run,
 * traced and untraced invocations alternated:
 * <ol>
 * <li>request-path cost of a traced invocation: enter + leave (perf: the enable + disable writes
 *     to its control fifo; async-profiler: adding and removing the thread from its filter),
 *     against an untraced invocation's (nothing);</li>
 * <li>wall time of the same fixed work traced and untraced (sampling interrupts included);</li>
 * <li>attribution per invocation length, with equally long untraced work between invocations:
 *     perf, the share of this thread's samples whose timestamps fall inside traced invocations;
 *     async-profiler, the share of the profile's samples whose frames are in the traced work.</li>
 * </ol>
 * perf runs once on the whole JVM and once on the invoking thread only, as the runtime does;
 * then the CPU of cutting a perf profile, by a restart and by rotating perf's output.
 * For async-profiler also: what it costs while nothing is traced (its wall-clock timer wakes at the
 * frequency), and the CPU of rendering a recording per sample. First, the naive way for comparison.
 * Lives in the hook's test tree to drive its package-private samplers directly; {@code ./perfaas bench}
 * runs it from trace-hooks/java/target/test-classes. Args: [rounds] [frequencyHz] [naive invocations].
 */
public final class TracedInvocationBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int hz = args.length > 1 ? Integer.parseInt(args[1]) : 499;
        Path dir = Files.createTempDirectory("perfaas-bench");
        naiveWay(dir, hz, args.length > 2 ? Integer.parseInt(args[2]) : 5);
        long tid = RequestThreads.currentId();
        for (List<Long> threads : List.of(List.<Long>of(), List.of(tid))) {
            System.out.printf(
                    "traced invocation cost, perf %s at %d Hz, %d alternated rounds%n",
                    threads.isEmpty() ? "on the whole JVM (-p)" : "on the invoking thread (-t)", hz, rounds);
            toggleCost(PerfSessionTest.start("perf", hz, dir, "cost", threads), rounds);
            for (double ms : new double[] {0.5, 5, 50}) {
                attribution(dir, hz, ms, invocations(ms), threads);
            }
        }
        cutCost(dir, hz, rounds >= 1000 ? 20 : 3, List.of(tid));
        System.out.printf(
                "traced invocation cost, async-profiler in process (wall clock, thread filter) at %d Hz, %d alternated rounds%n",
                hz, rounds);
        toggleCost(AsyncSession.start(hz, dir, "cost", new CpuAccount()), rounds);
        for (double ms : new double[] {0.5, 5, 50}) {
            asyncAttribution(dir, hz, ms, invocations(ms));
        }
        for (int idleHz : new int[] {19, 99, 997}) {
            asyncIdleCost(dir, idleHz, rounds >= 1000 ? 10 : 2);
        }
    }

    /**
     * CPU of cutting perf profiles, per profile of the same traced work (10 invocations of 10 ms
     * of CPU on the invoking thread, perf on it with -t as the runtime does), the two ways side by
     * side: a new perf per profile (what every cut did before rotation, and what a frequency change
     * or new request threads still do), and one perf whose output is rotated per profile. perf
     * record's CPU (its sampling, toggles and cut) is read from /proc while it runs and from our
     * reaped children's cutime/cstime once it exited, with the helper processes of a start (mkfifo)
     * or a rotation (sh kill); perf script's from cutime/cstime. The one start and stop of the
     * rotated perf are not per cut.
     */
    private static void cutCost(Path dir, int hz, int cuts, List<Long> threads) throws Exception {
        System.out.printf(
                "profile cut cost, perf -t at %d Hz, %d profiles of 10 traced invocations of 10 ms CPU each way:%n",
                hz, cuts);
        long record = 0;
        long script = 0;
        long samples = 0;
        for (int i = 0; i < cuts; i++) {
            long c0 = ProcCpu.reapedChildrenNanos();
            PerfRecorder perf = PerfRecorder.start("perf", hz, dir, "cut", threads, new CpuAccount());
            TracedIntervals traced = tracedWork(perf);
            List<Path> files = perf.stop();
            long c1 = ProcCpu.reapedChildrenNanos();
            samples += render(files, dir, traced);
            record += c1 - c0;
            script += ProcCpu.reapedChildrenNanos() - c1;
        }
        System.out.printf(
                "  restart per profile:  perf record %.1f ms + perf script %.1f ms = %.1f ms of CPU per cut (%.0f samples a profile)%n",
                record / 1e6 / cuts, script / 1e6 / cuts, (record + script) / 1e6 / cuts, (double) samples / cuts);

        record = 0;
        script = 0;
        samples = 0;
        PerfRecorder perf = PerfRecorder.start("perf", hz, dir, "cut", threads, new CpuAccount());
        perf.process.countCpu(); // its start is not a cut's
        for (int i = 0; i < cuts; i++) {
            TracedIntervals traced = tracedWork(perf);
            long c0 = ProcCpu.reapedChildrenNanos();
            List<Path> files = perf.rotate();
            long c1 = ProcCpu.reapedChildrenNanos();
            record += c1 - c0 + perf.process.countCpu();
            samples += render(files, dir, traced);
            script += ProcCpu.reapedChildrenNanos() - c1;
        }
        System.out.printf(
                "  rotation per profile: perf record %.1f ms + perf script %.1f ms = %.1f ms of CPU per cut (%.0f samples a profile)%n",
                record / 1e6 / cuts, script / 1e6 / cuts, (record + script) / 1e6 / cuts, (double) samples / cuts);

        // The same perf on, sampling the same work without a cut: what of perf record's CPU above is not the cut's.
        for (int i = 0; i < cuts; i++) {
            tracedWork(perf);
        }
        System.out.printf(
                "  of which sampling and toggles (the same work, no cut): perf record %.1f ms a profile%n",
                perf.process.countCpu() / 1e6 / cuts);
        SpoolFiles.deleteQuietly(perf.stop().toArray(Path[]::new));
    }

    private static TracedIntervals tracedWork(PerfRecorder perf) {
        TracedIntervals traced = new TracedIntervals();
        for (int j = 0; j < 10; j++) {
            long t0 = System.nanoTime();
            if (!perf.enter()) {
                continue;
            }
            burnCpu(10_000_000);
            perf.leave();
            traced.add(t0, System.nanoTime());
            spinFor(3_000_000);
        }
        return traced;
    }

    private static long render(List<Path> files, Path dir, TracedIntervals traced) throws Exception {
        ProfileFile p = PerfScript.render("perf", files, dir.resolve("cut.perf.gz"), traced.lookup());
        SpoolFiles.deleteQuietly(files.toArray(Path[]::new));
        SpoolFiles.deleteQuietly(dir.resolve("cut.perf.gz"));
        return p.samples();
    }

    /** Spins until this thread has used about the given CPU time, however busy the machine is. */
    private static void burnCpu(long nanos) {
        long end = THREADS.getCurrentThreadCpuTime() + nanos;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            work(50);
        }
    }

    /** async-profiler recording with nothing traced: the CPU of its own threads (the timer scans the JVM's threads). */
    private static void asyncIdleCost(Path dir, int hz, int seconds) throws Exception {
        CpuAccount cpu = new CpuAccount();
        AsyncSession s = AsyncSession.start(hz, dir, "idle", cpu);
        Thread.sleep(200);
        long before = cpu.totalNanos();
        Thread.sleep(seconds * 1000L);
        long used = cpu.totalNanos() - before;
        s.finish();
        System.out.printf(
                "  idle at %d Hz, nothing traced: %.2f ms of CPU a second in the profiler's threads (%d threads in the JVM)%n",
                hz, used / 1e6 / seconds, ProcCpu.threadIds().size());
    }

    private static int invocations(double ms) {
        return ms >= 50 ? 40 : ms >= 5 ? 200 : 1000;
    }

    /**
     * The original write-up's way, per invocation: {@code perf record -p PID ... -- sleep 0.005}
     * beside the invocation, waited for, then {@code perf script}. Timed as written and
     * with --no-bpf-event (perf's BPF side-band thread otherwise holds shutdown ~1 s), around the
     * same 5 ms of work, against perfaas's toggled invocation measured below.
     */
    private static void naiveWay(Path dir, int hz, int invocations) throws Exception {
        System.out.printf(
                "naive way: perf record -p PID -- sleep 0.005 + perf script per invocation, %d invocations of 5 ms each way%n",
                invocations);
        for (boolean noBpf : new boolean[] {false, true}) {
            long[] added = new long[invocations];
            for (int i = 0; i < invocations; i++) {
                Path data = dir.resolve("naive.data");
                List<String> cmd = new java.util.ArrayList<>(List.of(
                        "perf",
                        "record",
                        "-F",
                        Integer.toString(hz),
                        "-g",
                        "-p",
                        Long.toString(ProcessHandle.current().pid()),
                        "-o",
                        data.toString()));
                if (noBpf) {
                    cmd.add("--no-bpf-event");
                }
                cmd.addAll(List.of("--", "sleep", "0.005"));
                long t0 = System.nanoTime();
                Process perf = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                spinFor(5_000_000);
                perf.waitFor();
                new ProcessBuilder("perf", "script", "-i", data.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
                added[i] = System.nanoTime() - t0 - 5_000_000;
                SpoolFiles.deleteQuietly(data);
            }
            Arrays.sort(added);
            System.out.printf(
                    "  %-22s added latency per invocation: median %.0f ms (min %.0f, max %.0f)%n",
                    noBpf ? "with --no-bpf-event:" : "as written:",
                    pct(added, 0.5) / 1e6,
                    added[0] / 1e6,
                    added[invocations - 1] / 1e6);
        }
    }

    private static void toggleCost(Sampler s, int rounds) throws Exception {
        long[] toggle = new long[rounds];
        long[] tracedWall = new long[rounds];
        long[] untracedWall = new long[rounds];
        int recorded = 0;
        int skipped = 0;
        for (int i = -rounds / 10; recorded < rounds; i++) { // first tenth warms up, unrecorded
            long u0 = System.nanoTime();
            work(20_000);
            long u1 = System.nanoTime();

            long t0 = System.nanoTime();
            boolean traced = s.enter();
            long a = System.nanoTime() - t0;
            work(20_000);
            long b0 = System.nanoTime();
            if (traced) {
                s.leave(t0, b0);
            }
            long t1 = System.nanoTime();
            // Paced like a function at a few hundred traced invocations/s, so perf keeps up.
            spinFor(3_000_000);
            if (i < 0) {
                continue;
            }
            if (!traced) {
                skipped++;
                continue;
            }
            toggle[recorded] = a + (t1 - b0);
            tracedWall[recorded] = t1 - t0;
            untracedWall[recorded] = u1 - u0;
            recorded++;
        }
        s.awaitIdle(1_000);
        ProfileFile profile = s.finish();
        if (profile.file() != null) {
            SpoolFiles.deleteQuietly(profile.file());
        }
        Arrays.sort(toggle);
        Arrays.sort(tracedWall);
        Arrays.sort(untracedWall);
        System.out.printf(
                "  rounds not traced because the engine refused (perf: toggle backlog): %d (of %d traced)%n",
                skipped, rounds);
        System.out.printf(
                "  %s on the request path: median %.1f us, p99 %.1f us (untraced: 0)%n",
                s.engine().equals("perf") ? "enable+disable" : "filter add+remove",
                pct(toggle, 0.5) / 1e3,
                pct(toggle, 0.99) / 1e3);
        System.out.printf(
                "  fixed work, traced / untraced wall: median %.0f / %.0f us (x%.3f), p99 %.0f / %.0f us%n",
                pct(tracedWall, 0.5) / 1e3,
                pct(untracedWall, 0.5) / 1e3,
                pct(tracedWall, 0.5) / pct(untracedWall, 0.5),
                pct(tracedWall, 0.99) / 1e3,
                pct(untracedWall, 0.99) / 1e3);
    }

    private static void attribution(Path dir, int hz, double ms, int invocations, List<Long> threads) throws Exception {
        String tid = Long.toString(RequestThreads.currentId());
        PerfSession s = PerfSessionTest.start("perf", hz, dir, "attr", threads);
        long spin = (long) (ms * 1e6);
        int skipped = 0;
        for (int i = 0; i < invocations; i++) {
            spinFor(spin); // untraced, as long as the traced one: a late toggle shows here
            long t0 = System.nanoTime();
            boolean traced = s.enter();
            spinFor(spin);
            long t1 = System.nanoTime();
            if (traced) {
                s.leave(t0, t1);
            } else {
                skipped++;
            }
        }
        Path gz = s.finish().file();
        TracedIntervals.Lookup traced = s.intervals().lookup();
        long mine = 0;
        long inside = 0;
        if (gz != null) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    long t = PerfScript.sampleTimeNanos(line);
                    if (t < 0 || !line.matches("^.*?\\s" + tid + "\\s.*")) {
                        continue;
                    }
                    mine++;
                    if (traced.contains(t)) {
                        inside++;
                    }
                }
            }
        }
        if (gz != null) {
            SpoolFiles.deleteQuietly(gz);
        }
        System.out.printf(
                "  attribution at %5.1f ms per invocation: %d of %d samples of the invoking thread inside traced invocations (%.1f%%); %d of %d not traced (perf backlog)%n",
                ms, inside, mine, mine == 0 ? 0 : 100.0 * inside / mine, skipped, invocations);
    }

    /**
     * async-profiler keeps only samples inside traced invocations of their thread; what counts is
     * whether those are really the traced work: traced and untraced work run in methods of their own.
     */
    private static void asyncAttribution(Path dir, int hz, double ms, int invocations) throws Exception {
        AsyncSession s = AsyncSession.start(hz, dir, "attr", new CpuAccount());
        long spin = (long) (ms * 1e6);
        for (int i = 0; i < invocations; i++) {
            untracedSpin(spin);
            long t0 = System.nanoTime();
            s.enter();
            tracedSpin(spin);
            s.leave(t0, System.nanoTime());
        }
        s.awaitIdle(1_000);
        long renderStart = THREADS.getCurrentThreadCpuTime();
        ProfileFile profile = s.finish();
        long renderCpu = THREADS.getCurrentThreadCpuTime() - renderStart;
        long samples = 0;
        long inTraced = 0;
        long inUntraced = 0;
        if (profile.file() != null) {
            StringBuilder sample = new StringBuilder();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(profile.file())), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (!line.isEmpty()) {
                        sample.append(line).append('\n');
                        continue;
                    }
                    if (sample.indexOf("wall-") >= 0) {
                        samples++;
                        if (sample.indexOf("TracedInvocationBench.tracedSpin") >= 0) {
                            inTraced++;
                        } else if (sample.indexOf("TracedInvocationBench.untracedSpin") >= 0) {
                            inUntraced++;
                        }
                    }
                    sample.setLength(0);
                }
            }
            SpoolFiles.deleteQuietly(profile.file());
        }
        System.out.printf(
                "  attribution at %5.1f ms per invocation: %d of %d kept samples in the traced work (%.2f%%), %d in the untraced work;"
                        + " rendering the recording: %.1f ms CPU%n",
                ms, inTraced, samples, samples == 0 ? 0 : 100.0 * inTraced / samples, inUntraced, renderCpu / 1e6);
    }

    private static void tracedSpin(long nanos) {
        spinFor(nanos);
    }

    private static void untracedSpin(long nanos) {
        spinFor(nanos);
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private static double sink;

    /** Fixed work: the same instructions whether traced or not. */
    private static void work(int n) {
        double x = 0;
        for (int i = 1; i <= n; i++) {
            x += Math.sqrt(i);
        }
        sink += x;
    }

    private static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            work(50);
        }
    }
}
