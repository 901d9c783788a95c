package dev.perfaas.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold starts of a function's JVM without containers: the runtime started as run.sh starts it, with
 * perfaas on and with PERFAAS_DISABLED=true, alternated (ABBA); from the process's spawn to the first
 * answered request, polled every 5 ms from the spawn (the first request that connects is the cold
 * invocation). JDK only, so it also runs as a single source file:
 * {@code java bench/src/main/java/dev/perfaas/bench/ProcessColdStartBench.java STARTS PORT CLASSPATH [PATH]}.
 * The hook reaches no controller here (its threads start after the first answer whichever way).
 */
public final class ProcessColdStartBench {
    public static void main(String[] args) throws Exception {
        int starts = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        String classpath = args[2];
        String path = args.length > 3 ? args[3] : "/?terms=1000";
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < starts; i++) {
            for (boolean perfaas : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                (perfaas ? on : off).add(coldStart(http, port, classpath, path, perfaas));
            }
        }
        System.out.printf(
                "spawn to first answer, %d starts each: perfaas median %.0f ms %s; PERFAAS_DISABLED=true median %.0f ms %s;"
                        + " difference of medians %+.0f ms%n",
                starts, median(on), rounded(on), median(off), rounded(off), median(on) - median(off));
    }

    private static double coldStart(HttpClient http, int port, String classpath, String path, boolean perfaas)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-cp", classpath, "dev.perfaas.runtime.Main")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("PERFAAS_PORT", Integer.toString(port));
        env.put("PERFAAS_FUNCTION", "pi-cold");
        env.put("PERFAAS_CONTROLLER", "http://127.0.0.1:9");
        if (!perfaas) {
            env.put("PERFAAS_DISABLED", "true");
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(120))
                    .build();
            while (true) {
                try {
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
                    }
                    return (System.nanoTime() - t0) / 1e6;
                } catch (java.io.IOException e) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the function exited: " + p.exitValue());
                    }
                    Thread.sleep(5);
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static List<Long> rounded(List<Double> xs) {
        return xs.stream().map(Math::round).toList();
    }
}
