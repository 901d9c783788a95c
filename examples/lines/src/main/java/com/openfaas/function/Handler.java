package com.openfaas.function;

import com.openfaas.model.AbstractHandler;
import com.openfaas.model.IRequest;
import com.openfaas.model.IResponse;
import com.openfaas.model.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Holds every line of its input in memory (a {@code List<String>}) before it answers, so the memory an
 * invocation needs grows with the number of lines: the example for sizing a function's memory.
 * Input: {@code ?lines=N} generated lines (default 100,000, at most 1,000,000), or {@code ?file=NAME},
 * a text file shipped inside the function under {@code src/main/resources/data/}.
 * Answer: the counts and an estimate of the bytes the list kept alive.
 */
public class Handler extends AbstractHandler {
    static final int DEFAULT_LINES = 100_000;
    static final int MAX_LINES = 1_000_000;
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String[] WORDS = {
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliett",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa"
    };

    @Override
    public IResponse Handle(IRequest req) {
        Response res = new Response();
        Map<String, String> query = req.getQuery();
        String file = query.get("file");
        String lines = query.get("lines");
        List<String> kept;
        String source;
        try {
            if (file != null && lines != null) {
                throw new IllegalArgumentException("give either lines or file, not both");
            }
            if (file != null) {
                kept = readLines(checkFileName(file));
                source = "file " + file;
            } else {
                int n = parseLines(lines);
                kept = generateLines(n);
                source = "generated";
            }
        } catch (IllegalArgumentException e) {
            return text(res, 400, e.getMessage());
        } catch (MissingFileException e) {
            return text(res, 404, e.getMessage());
        }
        res.setContentType("application/json");
        // perfaas sets this invocation's memory against its lines (the runtime reads and strips the header).
        res.setHeader("X-Perfaas-Tag", String.valueOf(kept.size()));
        res.setBody(summary(source, kept) + "\n");
        return res;
    }

    private static IResponse text(Response res, int status, String message) {
        res.setStatusCode(status);
        res.setContentType("text/plain");
        res.setBody(message + "\n");
        return res;
    }

    static int parseLines(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LINES;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lines must be a whole number, got '" + value + "'");
        }
        if (n < 1 || n > MAX_LINES) {
            throw new IllegalArgumentException("lines must be between 1 and " + MAX_LINES + ", got " + n);
        }
        return n;
    }

    /** Names only, no paths: the query must not reach outside the function's data/ folder. */
    static String checkFileName(String name) {
        if (!FILE_NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException(
                    "file must be a plain file name ([A-Za-z0-9._-], not starting with '.')");
        }
        return name;
    }

    /** Line i is "line i:" and 3 to 10 words, so lines differ in length as real text does. */
    static List<String> generateLines(int n) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < n; i++) {
            line.setLength(0);
            line.append("line ").append(i).append(':');
            for (int w = 0; w < 3 + i % 8; w++) {
                line.append(' ').append(WORDS[(i * 7 + w * 3) % WORDS.length]);
            }
            out.add(line.toString());
        }
        return out;
    }

    static List<String> readLines(String name) {
        InputStream in = Handler.class.getResourceAsStream("/data/" + name);
        if (in == null) {
            throw new MissingFileException("no file '" + name + "' in the function's data/");
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String summary(String source, List<String> kept) {
        long characters = 0;
        int longest = 0;
        for (String line : kept) {
            characters += line.length();
            longest = Math.max(longest, line.length());
        }
        return "{\"source\":\"" + source + "\",\"lines\":" + kept.size() + ",\"characters\":" + characters
                + ",\"longestLine\":" + longest + ",\"retainedBytesEstimate\":" + retainedBytes(kept) + "}";
    }

    /**
     * What the list keeps reachable on a 64-bit JDK 17 with compressed references (heaps under 32 GB):
     * the list's array (16-byte header, 4 bytes a slot) and per line a 24-byte String plus its byte[]
     * (16-byte header, one byte a char when all chars are Latin-1, else two), each rounded up to 8 bytes.
     * An estimate: the array's spare capacity and the JVM's own bookkeeping are left out.
     */
    static long retainedBytes(List<String> kept) {
        long bytes = align8(16 + 4L * kept.size());
        for (String line : kept) {
            bytes += 24 + align8(16 + (long) line.length() * (latin1(line) ? 1 : 2));
        }
        return bytes;
    }

    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    static final class MissingFileException extends RuntimeException {
        MissingFileException(String message) {
            super(message);
        }
    }
}
