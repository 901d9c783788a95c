package dev.perfaas.launcher;

import dev.perfaas.hook.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The demo's live table, read from the controller's API as an operator would. */
final class StatusTable {
    private final URI controller;
    private final PrintStream out;
    private final Map<String, Double> lastInvocations = new HashMap<>();
    private long lastNanos;

    StatusTable(URI controller, PrintStream out) {
        this.controller = controller;
        this.out = out;
    }

    void print() throws IOException, InterruptedException {
        long now = System.nanoTime();
        double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
        lastNanos = now;
        out.printf("%-12s %9s %9s %8s %6s %9s %9s%n", "function", "inv/s", "traced", "fraction", "Hz", "samples", "overhead");
        for (Object o : (List<?>) Http.getJson(controller.resolve("/v1/functions"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) o;
            String name = Json.string(f, "function");
            double invocations = Json.number(f, "invocations");
            Double before = lastInvocations.put(name, invocations);
            String rate = before == null || seconds == 0 ? "-" : String.format("%.1f", (invocations - before) / seconds);
            Map<String, Object> policy = Json.parseObject(Http.get(controller.resolve("/v1/policy/" + encode(name))).body());
            out.printf("%-12s %9s %9.0f %8.3f %6.0f %9.0f %9s%n", name, rate, Json.number(f, "traced"),
                    Json.number(policy, "fraction"), Json.number(policy, "frequencyHz"), Json.number(f, "samples"), overhead(name));
        }
        out.println();
    }

    /** Tracer CPU over function CPU in the function's last report. */
    @SuppressWarnings("unchecked")
    private String overhead(String name) throws IOException, InterruptedException {
        Map<String, Object> detail = (Map<String, Object>) Http.getJson(controller.resolve("/v1/functions/" + encode(name)));
        if (!(detail.get("lastReport") instanceof Map<?, ?> r)) return "-";
        Map<String, Object> report = (Map<String, Object>) r;
        double hook = Json.number(report, "hookCpuNanos");
        double tracer = hook + Json.number(report, "perfCpuNanos");
        double function = Json.number(report, "processCpuNanos") - hook;
        return function <= 0 ? "-" : String.format("%.2f%%", 100 * tracer / function);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
