package dev.perfaas.hook;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the hook reports and who it is, from the environment (the stack file sets these).
 *
 * @param function   PERFAAS_FUNCTION, the function's name
 * @param instance   PERFAAS_INSTANCE, default HOSTNAME-PID (the pod name in a cluster)
 * @param controller PERFAAS_CONTROLLER, default http://127.0.0.1:9876
 * @param token      PERFAAS_TOKEN, or the contents of PERFAAS_TOKEN_FILE
 *                   (default /var/openfaas/secrets/perfaas-token when it exists)
 * @param engine     PERFAAS_ENGINE: async, perf or jfr pins this function to that engine; unset (null),
 *                   the policy's engine is used
 * @param perfCommand PERFAAS_PERF, the perf binary, default "perf" from PATH
 * @param spoolDir   PERFAAS_SPOOL, where perf data and unsent profiles wait
 * @param enabled    false when PERFAAS_DISABLED=true: no policy, no perf, no reports
 * @param version    PERFAAS_VERSION, the function's version label sent with its profiles (1-200 printable
 *                   ASCII characters, no space), or null: OpenFaaS puts no image reference in a function's
 *                   environment, so without it the controller stores the version as unknown
 */
public record HookConfig(
        String function,
        String instance,
        URI controller,
        String token,
        String engine,
        String perfCommand,
        Path spoolDir,
        boolean enabled,
        String version) {

    static final String DEFAULT_CONTROLLER = "http://127.0.0.1:9876";
    static final String DEFAULT_TOKEN_FILE = "/var/openfaas/secrets/perfaas-token";
    /** The version labels the controller takes (docs/protocol.md). */
    static final Pattern VERSION = Pattern.compile("[!-~]{1,200}");

    /** Without a version label (tests, benchmarks). */
    public HookConfig(
            String function,
            String instance,
            URI controller,
            String token,
            String engine,
            String perfCommand,
            Path spoolDir,
            boolean enabled) {
        this(function, instance, controller, token, engine, perfCommand, spoolDir, enabled, null);
    }

    public static HookConfig fromEnvironment() {
        return from(System.getenv());
    }

    static HookConfig from(Map<String, String> env) {
        long pid = ProcessHandle.current().pid();
        String function = env.getOrDefault("PERFAAS_FUNCTION", "function");
        String instance = env.getOrDefault("PERFAAS_INSTANCE", env.getOrDefault("HOSTNAME", "local") + "-" + pid);
        URI controller = URI.create(stripSlash(env.getOrDefault("PERFAAS_CONTROLLER", DEFAULT_CONTROLLER)));
        String token = env.get("PERFAAS_TOKEN");
        if (token == null) {
            token = readToken(Path.of(env.getOrDefault("PERFAAS_TOKEN_FILE", DEFAULT_TOKEN_FILE)));
        }
        String engine = env.get("PERFAAS_ENGINE");
        if (engine != null && !Engines.NAMES.contains(engine)) {
            System.getLogger("perfaas")
                    .log(
                            System.Logger.Level.WARNING,
                            "PERFAAS_ENGINE=" + engine + " is none of " + Engines.NAMES
                                    + ": the policy's engine is used");
            engine = null;
        }
        String perf = env.getOrDefault("PERFAAS_PERF", "perf");
        Path spool = Path.of(env.getOrDefault(
                "PERFAAS_SPOOL",
                Path.of(System.getProperty("java.io.tmpdir"), "perfaas-" + pid).toString()));
        boolean enabled = !"true".equalsIgnoreCase(env.get("PERFAAS_DISABLED"));
        String version = env.get("PERFAAS_VERSION");
        if (version != null && !VERSION.matcher(version).matches()) {
            System.getLogger("perfaas")
                    .log(
                            System.Logger.Level.WARNING,
                            "PERFAAS_VERSION is not 1-200 printable ASCII characters without spaces: profiles go"
                                    + " without a version");
            version = null;
        }
        return new HookConfig(function, instance, controller, token, engine, perf, spool, enabled, version);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String readToken(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
