package dev.perfaas.hook;

import java.util.Map;

/**
 * What the controller tells a hook to do, as served by {@code GET /v1/policy/{function}}.
 * Immutable: the hook swaps the whole object, so the hot path reads one volatile field.
 *
 * @param slowCallMillis     an invocation running longer is captured ({@link SlowCallWatcher}); 0: none is
 * @param slowCallsPerMinute captures allowed a minute, after a burst of {@code slowCallBurst}
 */
public record Policy(
        double fraction,
        int frequencyHz,
        int windowSeconds,
        int refreshSeconds,
        String engine,
        long version,
        long slowCallMillis,
        double slowCallsPerMinute,
        int slowCallBurst) {

    /**
     * The share of invocations the hook keeps untraced as its control group whatever the policy
     * asks (docs/design.md, section 1): the traced fraction is capped at 1 minus this, so the extra
     * CPU of tracing is measured at every fraction. A fifth bounds the estimate's standard error at
     * twice its best (equal groups); the controller's law never asks for more than the cap.
     */
    static final double MIN_CONTROL_SHARE = 0.2;

    /** Before the first answer, and after the last one expired: trace nothing. */
    public static final Policy OFF = new Policy(0, 0, 60, 10, "off", 0, 0, 0, 0);

    public Policy {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0,1]: " + fraction);
        }
        if (frequencyHz < 0) {
            throw new IllegalArgumentException("frequencyHz must be >= 0: " + frequencyHz);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds must be >= 1: " + windowSeconds);
        }
        if (refreshSeconds < 1) {
            throw new IllegalArgumentException("refreshSeconds must be >= 1: " + refreshSeconds);
        }
        if (engine == null || engine.isBlank()) {
            throw new IllegalArgumentException("engine is missing");
        }
        if (slowCallMillis < 0) {
            throw new IllegalArgumentException("slowCallMillis must be >= 0: " + slowCallMillis);
        }
        if (!(slowCallsPerMinute >= 0) || slowCallBurst < 0) {
            throw new IllegalArgumentException(
                    "slowCallsPerMinute and slowCallBurst must be >= 0: " + slowCallsPerMinute + ", " + slowCallBurst);
        }
    }

    /** The share of invocations traced: the policy's fraction, capped to leave the control group its share. */
    double tracedFraction() {
        return Math.min(fraction, 1 - MIN_CONTROL_SHARE);
    }

    /** True when this policy asks for some invocations to be sampled by a known engine. */
    public boolean samples() {
        return fraction > 0 && frequencyHz > 0 && Engines.NAMES.contains(engine);
    }

    static Policy fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new Policy(
                Json.number(m, "fraction"),
                (int) Json.number(m, "frequencyHz"),
                (int) Json.number(m, "windowSeconds"),
                (int) Json.number(m, "refreshSeconds"),
                Json.string(m, "engine"),
                (long) Json.number(m, "version"),
                // Absent from a controller that predates slow-call capture: none.
                (long) Json.numberOr(m, "slowCallMillis", 0),
                Json.numberOr(m, "slowCallsPerMinute", 0),
                (int) Json.numberOr(m, "slowCallBurst", 0));
    }
}
