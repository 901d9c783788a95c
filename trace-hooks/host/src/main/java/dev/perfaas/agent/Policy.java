package dev.perfaas.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of a function's policy ({@code GET /v1/policy/{function}}) the agent follows. The policy's
 * {@code engine} names the in-process hook's engine; the agent's is always host-perf, and its
 * {@code fraction} is the share of time sampled rather than of invocations.
 */
record Policy(double fraction, int frequencyHz, int windowSeconds, int refreshSeconds, long version) {

    /** Before the first answer, and after the last one expired: sample nothing. */
    static final Policy OFF = new Policy(0, 0, 60, 10, 0);

    Policy {
        if (!(fraction >= 0 && fraction <= 1) || frequencyHz < 0 || windowSeconds < 1 || refreshSeconds < 1) {
            throw new IllegalArgumentException("not a policy: fraction " + fraction + ", frequencyHz " + frequencyHz
                    + ", windowSeconds " + windowSeconds + ", refreshSeconds " + refreshSeconds);
        }
    }

    boolean samples() {
        return fraction > 0 && frequencyHz > 0;
    }

    static Policy of(JsonNode answer) {
        for (String field : new String[] {"fraction", "frequencyHz", "windowSeconds", "refreshSeconds", "version"}) {
            if (!answer.path(field).isNumber()) {
                throw new IllegalArgumentException("policy field '" + field + "' is missing or not a number");
            }
        }
        return new Policy(
                answer.get("fraction").asDouble(),
                answer.get("frequencyHz").asInt(),
                answer.get("windowSeconds").asInt(),
                answer.get("refreshSeconds").asInt(),
                answer.get("version").asLong());
    }
}
