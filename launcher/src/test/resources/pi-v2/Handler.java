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
 * examples/pi's handler, changed as a new version of a function is: it averages the Leibniz series over
 * half the terms with the Nilakantha series over all of them, so its time moves from {@link #leibnizPi}
 * to {@link #nilakanthaPi}. The launcher's VersionDiffTest compiles it against examples/pi's libraries and
 * runs it as pi's second version; its differential flame graph shows the two methods red and blue.
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
        double pi = (leibnizPi(Math.max(1, terms / 2)) + nilakanthaPi(terms)) / 2;
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

    /** pi = 3 + 4/(2*3*4) - 4/(4*5*6) + 4/(6*7*8) - ... */
    static double nilakanthaPi(long terms) {
        double sum = 3;
        for (long k = 1; k < terms; k++) {
            double n = 2.0 * k;
            sum += (k % 2 == 1 ? 4.0 : -4.0) / (n * (n + 1) * (n + 2));
        }
        return sum;
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
