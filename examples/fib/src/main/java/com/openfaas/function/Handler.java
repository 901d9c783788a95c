package com.openfaas.function;

import com.openfaas.model.AbstractHandler;
import com.openfaas.model.IRequest;
import com.openfaas.model.IResponse;
import com.openfaas.model.Response;

/**
 * CPU-bound on purpose: the naive, doubly recursive Fibonacci. Its flame graph is one tall tower of
 * {@link #fibonacci} frames on top of the handler (fewer than n: the JIT folds some recursion levels
 * into one frame), with almost nothing beside it. Query: {@code ?n=N} (default 30, between 0 and 45;
 * fib(45) makes ~3.7e9 calls).
 */
public class Handler extends AbstractHandler {
    static final int DEFAULT_N = 30;
    static final int MAX_N = 45;

    @Override
    public IResponse Handle(IRequest req) {
        Response res = new Response();
        res.setContentType("text/plain");
        int n;
        try {
            n = parseN(req.getQuery().get("n"));
        } catch (IllegalArgumentException e) {
            res.setStatusCode(400);
            res.setBody(e.getMessage() + "\n");
            return res;
        }
        res.setBody("fib(" + n + ") = " + fibonacci(n) + "\n");
        return res;
    }

    static int parseN(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_N;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("n must be a whole number, got '" + value + "'");
        }
        if (n < 0 || n > MAX_N) {
            throw new IllegalArgumentException("n must be between 0 and " + MAX_N + ", got " + n);
        }
        return n;
    }

    /** fib(0) = 0, fib(1) = 1, fib(n) = fib(n-1) + fib(n-2); exponential time, which is the point. */
    static long fibonacci(int n) {
        return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
    }
}
