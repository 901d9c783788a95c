package dev.perfaas.controller;

import java.util.regex.Pattern;

/**
 * The rules for function and instance names, checked wherever a name enters: names are refused,
 * never rewritten, so two different names can never end up as the same function, instance or
 * directory. A valid name is used as is for the profile directory and file names, which FlameScope
 * lists (it accepts [a-zA-Z0-9.,/_%+: -]; these rules keep well inside that, never start with the
 * '.' that hides a file, and have no '/' to climb out of the stacks directory).
 */
public final class SafeName {

    /**
     * OpenFaaS' own rule (a Kubernetes DNS-1123 label), so every function OpenFaaS can deploy is
     * accepted. The optional ".namespace" is how the OpenFaaS gateway addresses a function outside
     * the default namespace (/function/NAME.NAMESPACE): it keeps same-named functions of two
     * namespaces apart instead of merging their profiles.
     */
    public static final String FUNCTION_RULE = "a function name is an OpenFaaS function name: 1 to 63 lowercase"
            + " letters, digits and '-', starting and ending with a letter or digit, optionally followed by '.'"
            + " and a namespace of the same form";
    /**
     * What hooks send: PERFAAS_INSTANCE or $HOSTNAME-PID, i.e. a pod name (a DNS-1123 subdomain, which
     * Kubernetes cuts to 63 characters as the hostname) or any host name, which may have capitals.
     * 100 characters, with the longest function name, keeps a profile's file name
     * FUNCTION-INSTANCE-yyyyMMddTHHmmss-N.perf under the 255 bytes file systems allow.
     */
    public static final String INSTANCE_RULE = "an instance name is 1 to 100 letters, digits, '.', '_' and '-',"
            + " starting and ending with a letter or digit";

    private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    private static final Pattern FUNCTION = Pattern.compile(LABEL + "(\\." + LABEL + ")?");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    private static final int LONGEST_FUNCTION = 63 + 1 + 63;
    private static final int LONGEST_INSTANCE = 100;
    private static final int SHOWN_LENGTH = 120;

    private SafeName() {}

    /** {@code raw} when it is a valid function name; else a 400 stating the rule. */
    public static String function(String raw) {
        return checked("function", raw, FUNCTION, LONGEST_FUNCTION, FUNCTION_RULE);
    }

    /** Whether {@code name} is a valid function name, for names found rather than sent (directories). */
    public static boolean isFunction(String name) {
        return name != null
                && name.length() <= LONGEST_FUNCTION
                && FUNCTION.matcher(name).matches();
    }

    /**
     * The namespace of a valid function name: what follows its '.', or {@code defaultNamespace}
     * (perfaas.default-namespace) for a name that has none.
     */
    public static String namespace(String function, String defaultNamespace) {
        int dot = function.indexOf('.');
        return dot < 0 ? defaultNamespace : function.substring(dot + 1);
    }

    /** {@code raw} when it is a valid instance name; else a 400 stating the rule. */
    public static String instance(String raw) {
        return checked("instance", raw, INSTANCE, LONGEST_INSTANCE, INSTANCE_RULE);
    }

    /** An absent (null or empty) instance name becomes {@code fallback}. */
    public static String instanceOr(String raw, String fallback) {
        return raw == null || raw.isEmpty() ? fallback : instance(raw);
    }

    private static String checked(String kind, String raw, Pattern rule, int longest, String ruleText) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(Refusal.INVALID_NAME, kind + " name is missing or blank");
        }
        // The length first: no pattern runs over a hostile megabyte.
        if (raw.length() > longest || !rule.matcher(raw).matches()) {
            throw ApiException.badRequest(
                    Refusal.INVALID_NAME, kind + " name " + shown(raw) + " is not allowed: " + ruleText);
        }
        return raw;
    }

    /** Quoted, cut to a readable length, control characters spelt out so that none hides in a log line. */
    public static String shown(String raw) {
        String cut = raw.length() > SHOWN_LENGTH ? raw.substring(0, SHOWN_LENGTH) : raw;
        StringBuilder sb = new StringBuilder(cut.length() + 2).append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(cut.length() < raw.length() ? "\"... (" + raw.length() + " characters)" : "\"")
                .toString();
    }
}
