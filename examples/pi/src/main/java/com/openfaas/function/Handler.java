package com.openfaas.function;

import com.openfaas.model.AbstractHandler;
import com.openfaas.model.IRequest;
import com.openfaas.model.IResponse;
import com.openfaas.model.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Computes pi with the Leibniz series, then writes and reads back a small file, as the original
 * perf-in-OpenFaaS write-up did. In the flame graph, {@link #leibnizPi} should dominate, with a
 * thin tower of file I/O in {@link #roundTripFile} (JVM and kernel frames).
 * Query: {@code ?terms=N} (default 20,000,000, about 40 ms of CPU here; at most 200,000,000).
 */
public class Handler extends AbstractHandler {
    static final long DEFAULT_TERMS = 20_000_000;
    static final long MAX_TERMS = 200_000_000;

    @Override
    public IResponse Handle(IRequest req) {
        Response res = new Response();
        long terms;
        try {
            terms = parseTerms(req.getQuery().get("terms"));
        } catch (IllegalArgumentException e) {
            res.setStatusCode(400);
            res.setBody(e.getMessage() + "\n");
            return res;
        }
        double pi = leibnizPi(terms);
        String text = "pi ~ " + pi + " (" + terms + " terms)\n";
        res.setBody(roundTripFile(text));
        res.setContentType("text/plain");
        return res;
    }

    static long parseTerms(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TERMS;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("terms must be a whole number, got '" + value + "'");
        }
        if (n < 1 || n > MAX_TERMS) {
            throw new IllegalArgumentException("terms must be between 1 and " + MAX_TERMS);
        }
        return n;
    }

    /** pi = 4 * (1 - 1/3 + 1/5 - 1/7 + ...). */
    static double leibnizPi(long terms) {
        double sum = 0;
        for (long k = 0; k < terms; k++) {
            sum += (k % 2 == 0 ? 1.0 : -1.0) / (2 * k + 1);
        }
        return 4 * sum;
    }

    static String roundTripFile(String text) {
        try {
            Path file = Files.createTempFile("pi-", ".txt");
            try {
                Files.writeString(file, text);
                return Files.readString(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
