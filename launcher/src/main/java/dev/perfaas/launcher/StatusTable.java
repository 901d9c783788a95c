package dev.perfaas.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The demo's live table, read from the controller's API as an operator would. */
final class StatusTable {
    private final URI controller;
    private final PrintStream out;

    StatusTable(URI controller, PrintStream out) {
        this.controller = controller;
        this.out = out;
    }

    @SuppressWarnings("unchecked")
    void print() throws IOException, InterruptedException {
        out.printf(
                "%-10s %8s %5s %9s %9s %6s %9s %8s %9s  %-12s %s%n",
                "function",
                "inv/s",
                "cold",
                "p99 warm",
                "fraction",
                "Hz",
                "samples",
                "ratio",
                "overhead",
                "in control",
                "memory");
        boolean samplesPending = false;
        for (Object o : (List<?>) Http.getJson(controller.resolve("/v1/functions"))) {
            Map<String, Object> f = (Map<String, Object>) o;
            String name = Json.string(f, "function");
            Map<String, Object> detail = (Map<String, Object>) Http.getJson(
                    controller.resolve("/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
            samplesPending |= Double.valueOf(0).equals(f.get("sampleRatio")) && Json.number(f, "traced") > 0;
            out.printf(
                    "%-10s %8s %5.0f %9s %9s %6s %9.0f %8s %9s  %-12s %s%n",
                    name,
                    rate(detail.get("lastReport")),
                    Json.number(f, "coldStartCount"),
                    warmP99(detail.get("latency")),
                    fixed(f.get("fraction"), 3),
                    fixed(f.get("frequencyHz"), 0),
                    Json.number(f, "samples"),
                    fixed(f.get("sampleRatio"), 2),
                    percent(f.get("overhead")),
                    f.get("inControl") instanceof String in ? in : "not yet",
                    memory(detail.get("memory")));
        }
        if (samplesPending) {
            out.println(
                    "ratio 0.00: the samples are still in the hooks, which send a profile once it holds ~100 samples"
                            + " (or after 10 windows)");
        }
        out.println();
    }

    /** Invocations per second over the last window one instance reported. */
    private static String rate(Object lastReport) {
        if (!(lastReport instanceof Map<?, ?> r)) {
            return "-";
        }
        double seconds = ((Double) r.get("windowEndMillis") - (Double) r.get("windowStartMillis")) / 1000;
        return seconds <= 0 ? "-" : String.format("%.1f", (Double) r.get("invocations") / seconds);
    }

    /** The p99 latency of warm invocations over the kept reports, in ms. */
    private static String warmP99(Object latency) {
        return latency instanceof Map<?, ?> l
                        && l.get("pooled") instanceof Map<?, ?> pooled
                        && pooled.get("warm") instanceof Map<?, ?> warm
                        && warm.get("p99") instanceof Double p99
                ? String.format("%.1f ms", p99 / 1e6)
                : "-";
    }

    /** The memory finding and, once there is one, the limit recommended. */
    private static String memory(Object memory) {
        if (!(memory instanceof Map<?, ?> m) || m.get("finding") == null) {
            return "no report yet";
        }
        return m.get("recommendation") instanceof Map<?, ?> r && r.get("limitBytes") instanceof Double limit
                ? String.format("%s (%.0f Mi)", m.get("finding"), limit / (1024 * 1024))
                : String.valueOf(m.get("finding"));
    }

    private static String fixed(Object v, int decimals) {
        return v instanceof Double d ? String.format("%." + decimals + "f", d) : "-";
    }

    private static String percent(Object v) {
        return v instanceof Double d ? String.format("%.2f%%", 100 * d) : "-";
    }
}
