package dev.perfaas.controller.pyroscope;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.profiles.StoredProfile;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Every stored profile pushed to Grafana Pyroscope once, as pprof, when perfaas.pyroscope.url is set
 * (docs/design.md, section 10): the upload path calls {@link #stored}, which only queues it on disk;
 * a {@link Pusher} thread does the rest. Off, it does nothing and registers no meters.
 */
@Startup
@ApplicationScoped
public class PyroscopeExport {

    /** dskit's tenant id rule, which Pyroscope applies to X-Scope-OrgID. */
    private static final Pattern TENANT = Pattern.compile("[a-zA-Z0-9!\\-_.*'()]{1,150}");

    private final Pusher pusher;

    public PyroscopeExport(PerfaasConfig config, PprofSource source, MeterRegistry meters) {
        PerfaasConfig.Pyroscope settings = config.pyroscope();
        if (settings.url().isEmpty()) {
            pusher = null;
            return;
        }
        URI url = url(settings.url().get());
        settings.tenant().ifPresent(t -> {
            if (!TENANT.matcher(t).matches()) {
                throw new IllegalStateException("perfaas.pyroscope.tenant must be 1-150 of a-z, A-Z, 0-9 and"
                        + " !-_.*'() (Pyroscope's tenant ids), got \"" + t + "\"");
            }
        });
        if (!positive(settings.timeout()) || !positive(settings.maxBackoff())) {
            throw new IllegalStateException("perfaas.pyroscope.timeout and .max-backoff must be positive");
        }
        if (settings.rejectOlderThan().isNegative()) {
            throw new IllegalStateException("perfaas.pyroscope.reject-older-than must be 0 (no limit) or more");
        }
        PushClient client = new PushClient(
                url,
                settings.tenant(),
                PushAuth.of(settings.basicAuthFile(), settings.bearerTokenFile()),
                settings.timeout());
        try {
            pusher = new Pusher(
                    new PushQueue(config.dataDir().resolve("pyroscope-queue"), settings.queueLimit()),
                    source,
                    client,
                    new SeriesBudget(settings.maxSeries()),
                    new Pusher.Settings(settings.rejectOlderThan(), config.defaultNamespace(), settings.maxBackoff()),
                    Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Pyroscope push queue in perfaas.data-dir", e);
        }
        register(meters, pusher);
        pusher.start();
        Log.infof("pushing every stored profile to %s (%d waiting)", client.endpoint(), pusher.queued());
    }

    /** From the upload path, once a profile is stored: queues its push, or does nothing when off. */
    public void stored(StoredProfile profile) {
        if (pusher != null) {
            pusher.enqueue(profile.path(), profile.function(), profile.instance());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (pusher != null) {
            pusher.close();
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static URI url(String raw) {
        try {
            URI url = new URI(raw);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    && url.getHost() != null
                    && url.getQuery() == null
                    && url.getFragment() == null) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // named below
        }
        throw new IllegalStateException(
                "perfaas.pyroscope.url must be an http or https base URL such as http://pyroscope:4040, got \"" + raw
                        + "\"");
    }

    private static void register(MeterRegistry meters, Pusher pusher) {
        FunctionCounter.builder("perfaas.pyroscope.pushed", pusher, Pusher::pushed)
                .description("Stored profiles Pyroscope took since start")
                .register(meters);
        for (PushRefusal reason : PushRefusal.values()) {
            FunctionCounter.builder("perfaas.pyroscope.refused", pusher, p -> p.refused(reason))
                    .description("Stored profiles dropped without reaching Pyroscope since start, by reason")
                    .tag("reason", reason.label())
                    .register(meters);
        }
        Gauge.builder("perfaas.pyroscope.queued", pusher, Pusher::queued)
                .description("Stored profiles waiting to be pushed to Pyroscope (on disk, across restarts)")
                .register(meters);
    }
}
