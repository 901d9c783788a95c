package dev.perfaas.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Controller settings; every key can be overridden from the environment (PERFAAS_STACKS_DIR, ...). */
@ConfigMapping(prefix = "perfaas")
public interface PerfaasConfig {

    /** Root of the FlameScope profile directory (FlameScope's PROFILE_DIR). */
    @WithDefault("./stacks")
    Path stacksDir();

    /**
     * Where the controller keeps what must survive a restart: operator targets, the law's state, the
     * published policies and the recent history of every function. Created at startup.
     */
    @WithDefault("./data")
    Path dataDir();

    /** Largest profile accepted, in bytes; checked on the decompressed body too, against gzip bombs. */
    @WithDefault("67108864")
    long maxUploadBytes();

    /** How much of the stacks directory profiles may take, and for how long (profiles.Retention). */
    RetentionSettings retention();

    /** Bearer token required on every write request when set. */
    Optional<String> apiToken();

    /** File holding the bearer token, e.g. an OpenFaaS secret under /var/openfaas/secrets/. */
    Optional<Path> apiTokenFile();

    /**
     * Window, refresh and engine of every policy answered to hooks. Fraction and frequency come
     * from the control law: its prior (perfaas.law.prior-*) until the loop has stepped a function.
     */
    DefaultPolicy policy();

    Control control();

    /** What every function is held to unless an operator sets targets for it or for _default. */
    TargetDefaults targets();

    /** Gains and limits of the control law; each unset key keeps LawConfig.DEFAULT's value. */
    Law law();

    interface DefaultPolicy {
        @WithDefault("60")
        int windowSeconds();

        @WithDefault("10")
        int refreshSeconds();

        /**
         * The sampling engine hooks are asked to use: async (async-profiler in the function's JVM:
         * works under Docker's default seccomp, no frame pointers needed), perf (needs
         * perf_event_open in the container and PERFAAS_ENGINE=perf on the function for frame
         * pointers), or jfr (the JDK's recorder, where async-profiler cannot load). A hook that
         * cannot run it falls back to async, then jfr, and reports why.
         */
        @WithDefault("async")
        String engine();
    }

    interface Control {
        /**
         * How often the loop looks for new reports (DESIGN.md section 3). 10 s matches the hooks'
         * policy refresh, so a new policy reaches them within one more period; windows are usually
         * longer, and a function is stepped only when its reports have come in.
         */
        @WithDefault("10s")
        Duration period();

        /** Control steps kept per function for GET /v1/functions/{function}: 30 is 5 minutes at 10 s. */
        @WithDefault("30")
        int history();
    }

    /**
     * Oldest profiles go first, whole files, after every stored profile and every period; 0 turns a
     * limit off. Every byte limit set must hold one profile of perfaas.max-upload-bytes.
     */
    interface RetentionSettings {
        /**
         * Bytes one function's profiles may take: 1 GiB, a quarter of the total, so one busy function
         * cannot push every other function's history out. At the default 600 samples a minute that is
         * about a week of shallow stacks (~200 bytes a sample), several hours of deep Java ones (~5 kB).
         */
        @WithDefault("1073741824")
        long maxFunctionBytes();

        /**
         * Bytes all profiles may take: 4 GiB, 80 % of the 5Gi volume deploy/kubernetes asks for, leaving
         * room for uploads being written (up to perfaas.max-upload-bytes each) and the filesystem's
         * own overhead. Set it below the size of whatever holds perfaas.stacks-dir: past it, uploads
         * get 507 until space returns, and retention deletes nothing beyond its limits to make room.
         */
        @WithDefault("4294967296")
        long maxTotalBytes();

        /** Profiles older than this go: 7 days, enough to compare today with the same day last week. */
        @WithDefault("7d")
        Duration maxAge();

        /**
         * How often age is applied and sizes are read again from the disk (files deleted by hand are
         * forgotten); a profile outlives max-age by at most this. Must be positive.
         */
        @WithDefault("10m")
        Duration period();
    }

    /** Defaults are Targets.DEFAULT: 1 % overhead and 10 samples a second, a flame graph a minute. */
    interface TargetDefaults {
        /** Ceiling on tracer CPU / function CPU; 0.01 = 1 %, cheap enough to leave on. */
        @WithDefault("0.01")
        double maxOverhead();

        /** Stack samples wanted per minute over all instances; 600 fill a readable flame graph. */
        @WithDefault("600")
        double samplesPerMinute();

        /** Lowest perf frequency: 19 Hz, the bottom of the off-round ladder. */
        @WithDefault("19")
        int minFrequencyHz();

        /** Highest perf frequency: 997 Hz, the top of the ladder, off-round so it never locks onto 1 kHz timers. */
        @WithDefault("997")
        int maxFrequencyHz();

        /** Smallest traced fraction: one invocation in 1,000, so a budget-limited function still gets profiles. */
        @WithDefault("0.001")
        double minFraction();
    }

    /** See LawConfig for what each value does and why its default is what it is. */
    interface Law {
        OptionalDouble samplesGain();

        OptionalDouble overheadGain();

        OptionalDouble overheadSetpoint();

        OptionalDouble maxLogStepUp();

        OptionalDouble evidenceWindow();

        OptionalInt memoryPeriods();

        OptionalDouble shiftSigma();

        OptionalInt saturationPeriods();

        OptionalInt minPeriodsBetweenFrequencyChanges();

        OptionalDouble frequencyBand();

        OptionalDouble priorFraction();

        OptionalInt priorFrequencyHz();
    }
}
