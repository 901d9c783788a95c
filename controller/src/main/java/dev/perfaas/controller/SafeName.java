package dev.perfaas.controller;

import java.util.regex.Pattern;

/**
 * Turns function and instance names into path segments FlameScope accepts. FlameScope only
 * lists paths made of [a-zA-Z0-9.,/_%+: -]; we keep to [A-Za-z0-9._-] and refuse anything that
 * could climb out of the stacks directory rather than guess what was meant.
 */
public final class SafeName {

    static final int MAX_LENGTH = 100;
    private static final Pattern UNSAFE_RUN = Pattern.compile("[^A-Za-z0-9._-]+");
    // A leading '.' would hide the file from FlameScope; '_' and '-' are leftovers of replaced runs.
    private static final Pattern LEADING_PUNCTUATION = Pattern.compile("^[._-]+");
    private static final int SHOWN_LENGTH = 120;

    private SafeName() {
    }

    public static String function(String raw) {
        return sanitize("function", raw);
    }

    public static String instance(String raw) {
        return sanitize("instance", raw);
    }

    /** An absent (null or empty) instance name becomes {@code fallback}. */
    public static String instanceOr(String raw, String fallback) {
        return raw == null || raw.isEmpty() ? fallback : instance(raw);
    }

    private static String sanitize(String kind, String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(kind + " name is missing or blank");
        }
        if (raw.contains("/") || raw.contains("\\") || raw.contains("..") || raw.equals(".")) {
            throw ApiException.badRequest(kind + " name " + shown(raw)
                    + " is not allowed: it must not contain '/', '\\' or '..', nor be '.'");
        }
        if (alreadySafe(raw)) {
            return raw; // what the replacements below would give, without their matchers
        }
        String safe = LEADING_PUNCTUATION.matcher(UNSAFE_RUN.matcher(raw).replaceAll("_")).replaceFirst("");
        if (safe.isEmpty()) {
            throw ApiException.badRequest(kind + " name " + shown(raw)
                    + " has no usable characters: names keep letters, digits, '.', '_' and '-'");
        }
        return safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) : safe;
    }

    /** Only [A-Za-z0-9._-], not starting with [._-], and short enough: nothing to replace or cut. */
    private static boolean alreadySafe(String raw) {
        if (raw.length() > MAX_LENGTH || raw.charAt(0) == '.' || raw.charAt(0) == '_' || raw.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String shown(String raw) {
        return '"' + (raw.length() > SHOWN_LENGTH ? raw.substring(0, SHOWN_LENGTH) + "..." : raw) + '"';
    }
}
