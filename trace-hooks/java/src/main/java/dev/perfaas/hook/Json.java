package dev.perfaas.hook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the hook needs without pulling a library into users' functions: it writes reports
 * and reads the policy. Objects become {@code Map<String, Object>}, arrays {@code List<Object>},
 * numbers {@code Double}.
 */
final class Json {
    private Json() {}

    static Object parse(String text) {
        Reader r = new Reader(text);
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

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        void expect(char c) {
            ws();
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        boolean tryConsume(char c) {
            ws();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void end() {
            ws();
            if (i != s.length()) {
                throw error("trailing characters");
            }
        }

        Object value() {
            ws();
            if (i >= s.length()) {
                throw error("value expected");
            }
            char c = s.charAt(i);
            if (c == '"') {
                return string();
            }
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            try {
                return Double.valueOf(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
            throw error("unterminated string");
        }

        Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            if (tryConsume('}')) {
                return out;
            }
            do {
                ws();
                String key = string();
                expect(':');
                out.put(key, value());
            } while (tryConsume(','));
            expect('}');
            return out;
        }

        List<Object> array() {
            List<Object> out = new ArrayList<>();
            expect('[');
            if (tryConsume(']')) {
                return out;
            }
            do {
                out.add(value());
            } while (tryConsume(','));
            expect(']');
            return out;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed JSON at offset " + i + ": " + what);
        }
    }
}
