package dev.perfaas.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Controller settings; every key can be overridden from the environment (PERFAAS_STACKS_DIR, ...). */
@ConfigMapping(prefix = "perfaas")
public interface PerfaasConfig {

    /** Root of the FlameScope profile directory (FlameScope's PROFILE_DIR). */
    @WithDefault("./stacks")
    Path stacksDir();

    /** Largest profile accepted, in bytes; checked on the decompressed body too, against gzip bombs. */
    @WithDefault("67108864")
    long maxUploadBytes();

    /** Bearer token required on every write request when set. */
    Optional<String> apiToken();

    /** File holding the bearer token, e.g. an OpenFaaS secret under /var/openfaas/secrets/. */
    Optional<Path> apiTokenFile();

    /** The policy answered to hooks until a control loop sets one for the function. */
    DefaultPolicy policy();

    interface DefaultPolicy {
        @WithDefault("0.1")
        double fraction();

        @WithDefault("99")
        int frequencyHz();

        @WithDefault("60")
        int windowSeconds();

        @WithDefault("10")
        int refreshSeconds();

        @WithDefault("perf")
        String engine();
    }
}
