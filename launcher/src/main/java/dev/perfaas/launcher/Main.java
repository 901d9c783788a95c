package dev.perfaas.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code ./perfaas}: run the controller, a function, or the whole demo on this machine. */
public final class Main {
    static final String USAGE = """
            usage: ./perfaas controller [--port P] [--stacks DIR]
                   ./perfaas function HANDLER_DIR [--name NAME] [--port P] [--controller URL]
                   ./perfaas agent [--controller URL] [--token-file F]
                   ./perfaas demo [--seconds N]
                   ./perfaas bench [--quick]
                   ./perfaas bench soak [--minutes N]
                   ./perfaas bench agent [--quick] [--parts slots,target,hz,loop]   (root, Docker, perf)
            """;

    private Main() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(List.of(argv));
        Project project = new Project(Path.of(Flags.take(args, "--root", ".")));
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        String command = args.remove(0);
        try {
            switch (command) {
                case "controller" -> controller(project, args);
                case "function" -> function(project, args);
                case "agent" -> agent(project, args);
                case "demo" -> demo(project, args);
                case "bench" -> bench(project, args);
                default -> throw new IllegalArgumentException("unknown command '" + command + "'");
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("perfaas: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void controller(Project project, List<String> args) throws Exception {
        int port = Integer.parseInt(Flags.take(args, "--port", "9876"));
        Path stacks = Path.of(Flags.take(args, "--stacks", "stacks"));
        noMore(args);
        requireFree(port, "./perfaas controller --port P", "perfaas controller");
        try (ControllerProcess c = ControllerProcess.start(project, port, stacks, Map.of(), null)) {
            System.out.println("perfaas controller on " + c.url + ", profiles in " + stacks.toAbsolutePath());
            exitAsItExits(c);
        }
    }

    private static void function(Project project, List<String> args) throws Exception {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new IllegalArgumentException("HANDLER_DIR missing\n" + USAGE);
        }
        Path handler = Path.of(args.remove(0)).toAbsolutePath();
        String name = Flags.take(args, "--name", handler.getFileName().toString());
        int port = Integer.parseInt(Flags.take(args, "--port", "8082"));
        URI controller = URI.create(Flags.take(args, "--controller", "http://127.0.0.1:9876"));
        noMore(args);
        requireFree(port, "./perfaas function HANDLER_DIR --port P", "function");
        Path context = build(project, handler, name);
        try (FunctionProcess f = FunctionProcess.start(name, context, port, controller, Map.of(), null)) {
            System.out.println("function " + name + " on " + f.url + ", reporting to " + controller);
            exitAsItExits(f);
        }
    }

    /**
     * The node agent (trace-hooks/host): profiles the function containers on this machine from the
     * host. It needs root (or CAP_PERFMON and CAP_SYS_PTRACE) in the host's pid namespace.
     */
    private static void agent(Project project, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                project.agentClasspath(),
                "dev.perfaas.agent.AgentMain",
                "--controller",
                Flags.take(args, "--controller", "http://127.0.0.1:9876")));
        String tokenFile = Flags.take(args, "--token-file", null);
        if (tokenFile != null) {
            cmd.addAll(
                    List.of("--token-file", Path.of(tokenFile).toAbsolutePath().toString()));
        }
        noMore(args);
        try (ManagedProcess agent = new ManagedProcess("perfaas agent", new ProcessBuilder(cmd), null)) {
            exitAsItExits(agent);
        }
    }

    /**
     * Checked before starting: what already listens on the port could answer the readiness check
     * meant for the new process, which then fails to bind and exits.
     */
    private static void requireFree(int port, String usage, String what) throws IOException {
        if (!Http.portFree(port)) {
            throw new IOException("port " + port + " is in use (another " + what
                    + ", or another program): choose another with " + usage);
        }
    }

    /** Waits for a process run in the foreground; when it fails, so does ./perfaas, with its exit code. */
    private static void exitAsItExits(ManagedProcess p) throws InterruptedException {
        int exit = p.process.waitFor();
        if (exit != 0) {
            System.err.println("perfaas: the " + p.name + " exited with code " + exit + " (its output is above)");
            System.exit(exit);
        }
    }

    private static Path build(Project project, Path handler, String name) throws IOException, InterruptedException {
        Path context = project.root().resolve("build").resolve(name);
        System.out.println(
                "building " + name + " from " + handler + " with the " + Project.TEMPLATE + " template in " + context);
        FunctionBuild.shrinkwrap(project, handler, context);
        FunctionBuild.build(context, project.root().resolve("build").resolve(name + "-build.log"));
        return context;
    }

    /**
     * Controller and every example on loopback under closed-loop load, with a live table; at the
     * end the functions stop (flushing their last window) and the profiles are listed.
     */
    private static void demo(Project project, List<String> args) throws Exception {
        int seconds = Integer.parseInt(Flags.take(args, "--seconds", "60"));
        noMore(args);
        if (seconds < 15) {
            throw new IllegalArgumentException("--seconds must be at least 15 (one profile window is 10 s)");
        }
        Path stacks = project.root().resolve("stacks");
        Path logs = project.root().resolve("build").resolve("logs");
        Map<String, Path> contexts = new LinkedHashMap<>();
        for (Path example : project.examples()) {
            String name = example.getFileName().toString();
            contexts.put(name, build(project, example, name));
        }
        int port = Http.portFree(9876) ? 9876 : Http.freePort();
        Path data = project.root().resolve("build/demo-data");
        FunctionBuild.deleteTree(data); // each demo starts every function from the law's prior
        // Short windows so a short demo still closes a few; the control loop adapts the rest.
        Map<String, String> settings = Map.of(
                "perfaas.policy.window-seconds",
                "10",
                "perfaas.policy.refresh-seconds",
                "2",
                "perfaas.control.period",
                "2s",
                "perfaas.data-dir",
                data.toString());
        List<AutoCloseable> running = new ArrayList<>();
        Map<String, LoadDriver> loads = new HashMap<>();
        try {
            ControllerProcess controller =
                    ControllerProcess.start(project, port, stacks, settings, logs.resolve("controller.log"));
            running.add(controller);
            System.out.println("dashboard: " + dashboard(controller.url)
                    + "  (functions, the loop at work, flame graphs; while the demo runs)");
            System.out.println("controller on " + controller.url + " (log " + logs.resolve("controller.log") + ")");
            // Each profile cut has a fixed cost (a restart and rendering the recording): at the demo's
            // 10 s windows on a shared machine that is a few % of a light function, so the demo allows 10 %.
            String targets = "{\"maxOverhead\":0.10,\"samplesPerMinute\":600,\"minFrequencyHz\":19,"
                    + "\"maxFrequencyHz\":997,\"minFraction\":0.001}";
            var put = Http.send("PUT", controller.url.resolve("/v1/targets/_default"), targets);
            if (put.statusCode() != 200) {
                throw new IOException("setting the demo's targets failed: " + put.body());
            }
            System.out.println("demo targets for every function (PUT /v1/targets/_default): " + targets
                    + "\n  with 10 s windows; production defaults are a 1 % ceiling and 60 s windows");
            int fnPort = 8082;
            for (Map.Entry<String, Path> e : contexts.entrySet()) {
                while (!Http.portFree(fnPort)) {
                    fnPort++;
                }
                FunctionProcess f = FunctionProcess.start(
                        e.getKey(),
                        e.getValue(),
                        fnPort++,
                        controller.url,
                        Map.of(),
                        logs.resolve(e.getKey() + ".log"));
                running.add(0, f); // functions stop before the controller, so their last window lands
                LoadDriver load = new LoadDriver(f.url.resolve("/"), 1);
                running.add(0, load);
                loads.put(e.getKey(), load);
                System.out.println("function " + e.getKey() + " on " + f.url + " under load");
            }
            StatusTable table = new StatusTable(controller.url, System.out);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(5_000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
                table.print();
            }
            System.out.println("stopping: the functions flush their last window ...");
            for (AutoCloseable r : List.copyOf(running.subList(0, running.size() - 1))) {
                r.close();
            }
            table.print();
        } finally {
            for (AutoCloseable r : running) {
                r.close();
            }
        }
        loads.forEach((name, l) ->
                System.out.println(name + ": " + l.ok.sum() + " requests answered, " + l.failed.sum() + " failed"));
        listProfiles(stacks);
    }

    /**
     * The benchmarks of BENCHMARKS.md, each in its own JVM: the hook's untraced fast path (JMH),
     * the traced-invocation cost with real perf against the naive way, the real control loop A/B,
     * convergence from a cold start in the real loop, the controller's capacity, and what saving its
     * state costs per control period. --quick is a short smoke run of the harnesses; {@code soak}
     * runs the long soak (SoakBench) alone, {@code agent} the node agent's costs (AgentCostBench) alone.
     */
    private static void bench(Project project, List<String> args) throws Exception {
        // The hook's test classes hold TracedInvocationBench, which drives the hook's package-private samplers.
        String cp = project.root().resolve("bench/target/classes") + ":"
                + project.root().resolve("trace-hooks/java/target/test-classes") + ":"
                + project.root().resolve("bench/target/lib") + "/*";
        if (!args.isEmpty() && args.get(0).equals("soak")) {
            args.remove(0);
            String minutes = Flags.take(args, "--minutes", "30");
            noMore(args);
            runBench(
                    cp,
                    List.of(
                            "dev.perfaas.bench.SoakBench",
                            "--root",
                            project.root().toString(),
                            "--minutes",
                            minutes));
            return;
        }
        if (!args.isEmpty() && args.get(0).equals("agent")) {
            args.remove(0);
            List<String> run = new ArrayList<>(List.of(
                    "dev.perfaas.agent.AgentCostBench", "--root", project.root().toString()));
            run.addAll(args); // its own flags: AgentCostBench
            runBench(cp, run);
            return;
        }
        boolean quick = args.remove("--quick");
        noMore(args);
        warnIfNoPerf();
        String root = project.root().toString();
        List<String> jmh = new ArrayList<>(List.of("org.openjdk.jmh.Main", "HookFastPathBench", "-prof", "gc"));
        if (quick) {
            jmh.addAll(List.of("-f", "1", "-wi", "1", "-i", "1", "-w", "1s", "-r", "1s"));
        }
        List<List<String>> runs = List.of(
                jmh,
                List.of(
                        "-XX:+PreserveFramePointer",
                        "dev.perfaas.hook.TracedInvocationBench",
                        quick ? "200" : "1000",
                        "499",
                        quick ? "1" : "5"),
                benchRun(quick, "dev.perfaas.bench.ControlLoopBench", "--root", root),
                benchRun(quick, "dev.perfaas.bench.ConvergenceBench", "--root", root),
                benchRun(quick, "dev.perfaas.bench.ControllerCapacityBench", "--root", root),
                benchRun(quick, "dev.perfaas.bench.MergedRangeBench", "--root", root),
                benchRun(quick, "dev.perfaas.bench.StateSaveBench"));
        for (List<String> run : runs) {
            runBench(cp, run);
        }
    }

    /** A bench's main class and arguments, with --quick when asked. */
    private static List<String> benchRun(boolean quick, String... mainAndArgs) {
        List<String> run = new ArrayList<>(List.of(mainAndArgs));
        if (quick) {
            run.add("--quick");
        }
        return run;
    }

    private static void runBench(String cp, List<String> run) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ControllerProcess.javaBin(), "-cp", cp));
        cmd.addAll(run);
        int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("benchmark " + run + " failed with exit code " + exit);
        }
    }

    private static void listProfiles(Path stacks) throws IOException {
        List<Path> profiles = new ArrayList<>();
        if (Files.isDirectory(stacks)) {
            try (Stream<Path> s = Files.walk(stacks)) {
                s.filter(p -> p.toString().endsWith(".perf")).sorted().forEach(profiles::add);
            }
        }
        System.out.println();
        System.out.println(profiles.size() + " profiles in " + stacks);
        profiles.forEach(p -> System.out.println("  " + stacks.relativize(p)));
        System.out.print(profilesNote(stacks));
    }

    static URI dashboard(URI controller) {
        return controller.resolve("/dashboard/");
    }

    /** How to look at the demo's profiles: the dashboard first, FlameScope (for its subsecond heat maps) second. */
    static String profilesNote(Path stacks) {
        return """

                See them in the dashboard: ./perfaas controller --stacks %s
                  then browse %s (a profile opens as a flame graph, with its heat map)

                Or open them in Netflix FlameScope, which reads this directory as it is
                (with its debugger off, which runs code a browser sends, and on this machine only):
                  git clone https://github.com/Netflix/flamescope && cd flamescope
                  pip install -r requirements.txt
                  sed -i -e "s|^PROFILE_DIR = .*|PROFILE_DIR = '%s'|" \\
                    -e "s|^DEBUG = .*|DEBUG = False|" -e "s|^HOST = .*|HOST = '127.0.0.1'|" app/config.py
                  python run.py     # then browse http://127.0.0.1:5000
                """.formatted(stacks, dashboard(URI.create("http://127.0.0.1:9876")), stacks);
    }

    /** The perf benchmarks need perf: say what is missing instead of installing it. */
    private static void warnIfNoPerf() {
        PerfCheck.problem()
                .ifPresent(why -> System.err.println("perfaas: perf cannot sample here, so the perf side of the"
                        + " benchmarks cannot run: " + why + "\n         " + PerfCheck.HOW_TO));
    }

    private static void noMore(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments " + args + "\n" + USAGE);
        }
    }
}
