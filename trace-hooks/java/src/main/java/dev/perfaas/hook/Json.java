package dev.perfaas.hook;

import java.util.Map;

/**
 * The little JSON the hook needs without pulling a library into users' functions: it writes reports
 * and reads the policy. Objects become {@code Map<String, Object>}, arrays {@code List<Object>},
 * numbers {@code Double}.
 */
final class Json {
    private Json() {}

    static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        Object v = r.value();
        r.end();
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        if (parse(text) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("malformed JSON: an object was expected");
    }

    static double number(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("field '" + key + "' is missing or not a number");
    }

    /** The number at {@code key}, or {@code absent} when there is none; a value of another type is an error. */
    static double numberOr(Map<String, Object> m, String key, double absent) {
        return m.containsKey(key) ? number(m, key) : absent;
    }

    static String string(Map<String, Object> m, String key) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("field '" + key + "' is missing or not a string");
    }

    /** Appends s as a JSON string literal. */
    static StringBuilder quote(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
