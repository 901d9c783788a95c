package dev.perfaas.runtime;

import java.util.Map;

/**
 * The runtime's settings from the environment.
 *
 * @param port         PERFAAS_PORT, default 8082 (the template's upstream_url)
 * @param bindAddress  PERFAAS_BIND, default 127.0.0.1: only the watchdog in the same container talks to it
 * @param threads      PERFAAS_THREADS, default twice the CPUs the container may use, at least 4
 * @param handlerClass PERFAAS_HANDLER, default com.openfaas.function.Handler as in OpenFaaS's java17 template
 */
record RuntimeConfig(int port, String bindAddress, int threads, String handlerClass) {

    static RuntimeConfig fromEnvironment() {
        return from(System.getenv());
    }

    static RuntimeConfig from(Map<String, String> env) {
        int defaultThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        return new RuntimeConfig(
                positive(env, "PERFAAS_PORT", 8082),
                env.getOrDefault("PERFAAS_BIND", "127.0.0.1"),
                positive(env, "PERFAAS_THREADS", defaultThreads),
                env.getOrDefault("PERFAAS_HANDLER", "com.openfaas.function.Handler"));
    }

    private static int positive(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a positive integer, got '" + v + "'");
    }
}
