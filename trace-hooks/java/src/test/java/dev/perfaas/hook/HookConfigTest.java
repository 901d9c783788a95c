package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hook's settings from the environment, row by row: what is set, and what the hook makes of it. */
class HookConfigTest {
    @TempDir
    static Path dir;

    private static final long PID = ProcessHandle.current().pid();
    private static final Path NO_TOKEN_FILE = Path.of("/nonexistent/perfaas-token");

    record Row(
            String name,
            Map<String, String> env,
            String function,
            String instance,
            String controller,
            String token,
            String engine,
            String perf,
            boolean enabled) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), "  s3cret\n");
        return Stream.of(
                new Row(
                        "nothing set: the defaults",
                        Map.of("HOSTNAME", "pod-1"),
                        "function",
                        "pod-1-" + PID,
                        "http://127.0.0.1:9876",
                        null,
                        null,
                        "perf",
                        true),
                new Row(
                        "everything set",
                        Map.of(
                                "PERFAAS_FUNCTION",
                                "pi",
                                "PERFAAS_INSTANCE",
                                "pi-7d9f",
                                "PERFAAS_CONTROLLER",
                                "http://perfaas:9876",
                                "PERFAAS_TOKEN",
                                "t0k",
                                "PERFAAS_ENGINE",
                                "jfr",
                                "PERFAAS_PERF",
                                "/usr/bin/perf",
                                "PERFAAS_DISABLED",
                                "false"),
                        "pi",
                        "pi-7d9f",
                        "http://perfaas:9876",
                        "t0k",
                        "jfr",
                        "/usr/bin/perf",
                        true),
                new Row(
                        "no HOSTNAME: local-PID",
                        Map.of(),
                        "function",
                        "local-" + PID,
                        "http://127.0.0.1:9876",
                        null,
                        null,
                        "perf",
                        true),
                new Row(
                        "a trailing slash on the controller is dropped",
                        Map.of("PERFAAS_CONTROLLER", "http://c:1/"),
                        "function",
                        "local-" + PID,
                        "http://c:1",
                        null,
                        null,
                        "perf",
                        true),
                new Row(
                        "an engine the hook does not know: the policy's",
                        Map.of("PERFAAS_ENGINE", "ebpf"),
                        "function",
                        "local-" + PID,
                        "http://127.0.0.1:9876",
                        null,
                        null,
                        "perf",
                        true),
                new Row(
                        "the token file, trimmed",
                        Map.of("PERFAAS_TOKEN_FILE", tokenFile.toString()),
                        "function",
                        "local-" + PID,
                        "http://127.0.0.1:9876",
                        "s3cret",
                        null,
                        "perf",
                        true),
                new Row(
                        "PERFAAS_TOKEN wins over the file",
                        Map.of("PERFAAS_TOKEN", "env", "PERFAAS_TOKEN_FILE", tokenFile.toString()),
                        "function",
                        "local-" + PID,
                        "http://127.0.0.1:9876",
                        "env",
                        null,
                        "perf",
                        true),
                new Row(
                        "disabled in any case",
                        Map.of("PERFAAS_DISABLED", "TRUE"),
                        "function",
                        "local-" + PID,
                        "http://127.0.0.1:9876",
                        null,
                        null,
                        "perf",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fromTheEnvironment(Row row) {
        Map<String, String> env = new HashMap<>(row.env());
        // The machine's own secret file must not decide a row.
        env.putIfAbsent("PERFAAS_TOKEN_FILE", NO_TOKEN_FILE.toString());
        HookConfig c = HookConfig.from(env);
        assertAll(
                row.name(),
                () -> assertEquals(row.function(), c.function(), "function"),
                () -> assertEquals(row.instance(), c.instance(), "instance"),
                () -> assertEquals(URI.create(row.controller()), c.controller(), "controller"),
                () -> assertEquals(row.token(), c.token(), "token"),
                () -> assertEquals(row.engine(), c.engine(), "engine"),
                () -> assertEquals(row.perf(), c.perfCommand(), "perf"),
                () -> assertEquals(row.enabled(), c.enabled(), "enabled"));
    }

    @org.junit.jupiter.api.Test
    void theVersionLabelIsPerfaasVersionWhenTheControllerTakesIt() {
        Map<String, String> env = new HashMap<>(Map.of("PERFAAS_TOKEN_FILE", NO_TOKEN_FILE.toString()));
        assertEquals(null, HookConfig.from(env).version(), "unset: none (OpenFaaS gives no image reference)");
        env.put("PERFAAS_VERSION", "ghcr.io/acme/pi:1.4.2");
        assertEquals("ghcr.io/acme/pi:1.4.2", HookConfig.from(env).version());
        env.put("PERFAAS_VERSION", "1.4 beta");
        assertEquals(null, HookConfig.from(env).version(), "a space: not sent, so the profiles still go");
    }
}
