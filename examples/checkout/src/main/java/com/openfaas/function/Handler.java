package com.openfaas.function;

import com.openfaas.model.AbstractHandler;
import com.openfaas.model.IRequest;
import com.openfaas.model.IResponse;
import com.openfaas.model.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Prices an order (a few hundred SHA-256 rounds: about a millisecond of CPU) and, now and then,
 * waits on a pretend inventory service that stalls: the example for slow-call capture, whose
 * profiles show the stall's frame, {@code awaitInventoryService}. Input: {@code ?stallMs=N} makes
 * this call stall N ms (0 to 60,000; 0: never); without it one call in {@value #STALL_ONE_IN} stalls
 * 300 to 800 ms.
 */
public class Handler extends AbstractHandler {
    static final int STALL_ONE_IN = 500;
    static final int MAX_STALL_MS = 60_000;
    static final int ROUNDS = 400;

    @Override
    public IResponse Handle(IRequest req) {
        Response res = new Response();
        long stallMs;
        try {
            stallMs = stall(req.getQuery().get("stallMs"));
        } catch (IllegalArgumentException e) {
            res.setStatusCode(400);
            res.setBody("{\"error\":\"" + e.getMessage() + "\"}");
            res.setContentType("application/json");
            return res;
        }
        String price = priceOrder(req.getBody() == null ? "" : req.getBody());
        try {
            awaitInventoryService(stallMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        res.setBody("{\"price\":\"" + price + "\",\"stalledMs\":" + stallMs + "}");
        res.setContentType("application/json");
        return res;
    }

    static long stall(String asked) {
        if (asked == null) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return random.nextInt(STALL_ONE_IN) == 0 ? 300 + random.nextInt(501) : 0;
        }
        try {
            long ms = Long.parseLong(asked);
            if (ms >= 0 && ms <= MAX_STALL_MS) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("stallMs must be a whole number of ms in [0, " + MAX_STALL_MS + "]");
    }

    static String priceOrder(String order) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = order.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < ROUNDS; i++) {
                digest = sha.digest(digest);
            }
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    static void awaitInventoryService(long ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
