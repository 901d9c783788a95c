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
     * published policies, the recent history and the counters of every function, as control.json (a
     * snapshot) and control.journal (the changes since, one line each; see ControlStore). Created at
     * startup.
     */
    @WithDefault("./data")
    Path dataDir();

    /** Largest profile accepted, in bytes; checked on the decompressed body too, against gzip bombs. */
    @WithDefault("67108864")
    long maxUploadBytes();

    /**
     * Most times a gzip body may inflate once past 1 MiB decoded: above it the upload is refused as
     * a decompression bomb (413). Hook output reaches about 140x for idle thread pools and 280x for
     * deep recursion (identical frames); a run of one byte inflates about 1030x, the most deflate
     * allows, so 400 tells them apart. 1100 or more turns the check off.
     */
    @WithDefault("400")
    int maxGzipRatio();

    /**
     * Uploads stored at once; one more is answered 503 with Retry-After. Each holds a fixed few
     * hundred KiB of buffers and a worker thread while it streams, so this bounds the memory and
     * threads uploads take. Hooks upload about once a window per instance: 4 keeps up with hundreds
     * of instances.
     */
    @WithDefault("4")
    int maxUploadsInFlight();

    /**
     * Longest an upload may take from the start of its body to its stored file; past it the upload
     * is refused with 408, so a client that trickles its body cannot hold a slot. 60 s carries
     * perfaas.max-upload-bytes at about 1 MB/s; hook uploads are gzip and far smaller.
     */
    @WithDefault("60s")
    Duration uploadTimeout();

    /** How much of the stacks directory profiles may take, and for how long (profiles.Retention). */
    RetentionSettings retention();

    /**
     * The namespace of functions whose name carries none (a function outside it is named
     * NAME.NAMESPACE): OpenFaaS' default, the namespace label of their metrics and Pyroscope series.
     */
    @WithDefault("openfaas-fn")
    String defaultNamespace();

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

    /** How much anyone who can reach the API can make the controller hold; past a limit, requests get a 4xx. */
    Limits limits();

    /** Slow-call capture (profiles.SlowCalls, policy.SlowCallRule). */
    SlowCalls slowCalls();

    /** Pushing every stored profile to Grafana Pyroscope (pyroscope.PyroscopeExport); off without a url. */
    Pyroscope pyroscope();

    interface DefaultPolicy {
        @WithDefault("60")
        int windowSeconds();

        @WithDefault("10")
        int refreshSeconds();

        /**
         * The sampling engine hooks are asked to use: async (async-profiler in the function's JVM:
         * works under Docker's default seccomp, no frame pointers needed, wall clock), async-cpu (the same,
         * sampling CPU time: no timer thread, no waiting threads in profiles), perf (needs
         * perf_event_open in the container and PERFAAS_ENGINE=perf on the function for frame
         * pointers), or jfr (the JDK's recorder, where async-profiler cannot load). A hook that
         * cannot run it falls back to async, then jfr, and reports why.
         */
        @WithDefault("async")
        String engine();
    }

    interface Control {
        /**
         * How often the loop looks for new reports (docs/design.md, section 4). 10 s matches the hooks'
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

    interface Limits {
        /**
         * Functions known from reports and profiles, and functions with target overrides (besides
         * _default); a new one past it gets 409. 1,000: ControllerCapacityBench runs 1,000 functions
         * x 5 instances in the 256 MB heap the manifests give, each function keeping its last 100
         * reports; an OpenFaaS installation with more functions raises it.
         */
        @WithDefault("1000")
        int functions();

        /**
         * Instances remembered per function; a new one past it gets 409, after the instances silent
         * for ten policy windows (dead pods) have been forgotten to make room. 200: ten times the
         * 20 replicas OpenFaaS scales a function to by default, with room for a rolling update.
         */
        @WithDefault("200")
        int instancesPerFunction();

        /**
         * Window reports one instance may send a minute, with bursts up to a minute's worth; past it,
         * 429 with Retry-After (hooks keep the report and send it again). A hook reports once a window:
         * 1 a minute at the default 60 s, 60 with the 1 s windows of tests and benchmarks; 120 leaves
         * twice that. A hook back after an outage sends its backlog at this rate.
         */
        @WithDefault("120")
        int reportsPerInstancePerMinute();
    }

    interface SlowCalls {
        /**
         * Slow calls stored per function a minute, after a burst of {@link #burst()}: a storm of slow
         * calls is one incident, and a few profiles of it tell as much as thousands would.
         */
        @WithDefault("1")
        int perMinute();

        @WithDefault("3")
        int burst();

        /**
         * Without an operator's slowCallMillis, the threshold is the function's warm p99 but no lower
         * than this. The hook's watcher wakes about once per threshold (~50-90 us of CPU a wake on a
         * VM): at 200 ms that is ~0.04 % of a core, where a 20 ms floor would take a third of a 1 %
         * overhead ceiling from a function using a tenth of a core. A capture samples every
         * threshold/10, at least 10 ms: a call a few ms over a 2 ms p99 would leave no sample.
         */
        @WithDefault("200")
        long minThresholdMillis();

        /** Warm invocations the p99 must rest on before it sets a threshold; until then nothing is captured. */
        @WithDefault("200")
        long minInvocations();
    }

    interface Pyroscope {
        /**
         * Base URL of Pyroscope's HTTP API (its distributor, or a gateway in front), e.g.
         * http://pyroscope.monitoring:4040; profiles go to its push.v1.PusherService/Push. Unset: no push.
         */
        Optional<String> url();

        /** Sent as X-Scope-OrgID, for multi-tenant installs. */
        Optional<String> tenant();

        /** File holding {@code user:password} for Basic auth (Grafana Cloud: the stack's user id and a token). */
        Optional<Path> basicAuthFile();

        /** File holding a token sent as Bearer; read before each push, so a rotated secret is picked up. */
        Optional<Path> bearerTokenFile();

        /**
         * Profiles older than this are dropped, never sent: Pyroscope's validation.reject-older-than
         * (1h by default) would refuse them. 0 sends whatever the age, as 0 turns Pyroscope's off.
         */
        @WithDefault("1h")
        Duration rejectOlderThan();

        /**
         * Profiles waiting to be pushed, kept on disk in data-dir/pyroscope-queue; past it the oldest
         * is dropped. 10,000 is more than an hour (what Pyroscope accepts) of 100 instances' one-minute
         * windows; each waiting profile takes one small file.
         */
        @WithDefault("10000")
        int queueLimit();

        /**
         * Pyroscope series perfaas may keep active with per-instance labels (Pyroscope's
         * ingester.max-global-series-per-tenant is 5,000, a series active for 10 minutes after its last
         * profile). Past it a profile goes without its instance label. Half of 5,000, so that a
         * controller restart, which forgets what it sent, can at worst reach the limit.
         */
        @WithDefault("2500")
        int maxSeries();

        /** Longest a push may take; past it, it is retried. */
        @WithDefault("10s")
        Duration timeout();

        /** Retries wait 1 s, then twice as long each time, up to this. */
        @WithDefault("1m")
        Duration maxBackoff();
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
