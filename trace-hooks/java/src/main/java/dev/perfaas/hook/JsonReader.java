package dev.perfaas.hook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link Json}'s parser: one value from a string, by recursive descent; malformed input is an IllegalArgumentException. */
final class JsonReader {
    private final String s;
    private int i;

    JsonReader(String s) {
        this.s = s;
    }

    void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
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
