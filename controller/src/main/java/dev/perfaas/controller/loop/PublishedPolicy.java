package dev.perfaas.controller.loop;

import dev.perfaas.controller.policy.Policy;

/** The part of a function's policy the law sets; window, refresh and engine come from configuration. */
public record PublishedPolicy(double fraction, int frequencyHz, long version) {

    static PublishedPolicy of(Policy policy) {
        return new PublishedPolicy(policy.fraction(), policy.frequencyHz(), policy.version());
    }

    /** This policy moved to the given values; the version grows only when a value changes. */
    PublishedPolicy next(double nextFraction, int nextFrequencyHz) {
        return nextFraction == fraction && nextFrequencyHz == frequencyHz
                ? this
                : new PublishedPolicy(nextFraction, nextFrequencyHz, version + 1);
    }
}
