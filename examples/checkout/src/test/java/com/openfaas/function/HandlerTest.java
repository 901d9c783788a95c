package com.openfaas.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlerTest {
    @Test
    void anAskedStallIsTaken() {
        assertEquals(0, Handler.stall("0"));
        assertEquals(1500, Handler.stall("1500"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "60001", "x", "1.5"})
    void aBadStallIsRefused(String asked) {
        assertThrows(IllegalArgumentException.class, () -> Handler.stall(asked));
    }

    @Test
    void unaskedStallsAreRareAndBounded() {
        int stalls = 0;
        for (int i = 0; i < 100_000; i++) {
            long ms = Handler.stall(null);
            if (ms > 0) {
                stalls++;
                assertTrue(ms >= 300 && ms <= 800, "stall " + ms);
            }
        }
        // 200 expected; the bounds are eight standard deviations wide.
        assertTrue(stalls > 88 && stalls < 312, stalls + " stalls in 100,000");
    }

    @Test
    void thePriceDependsOnTheOrder() {
        assertEquals(Handler.priceOrder("a"), Handler.priceOrder("a"));
        assertTrue(!Handler.priceOrder("a").equals(Handler.priceOrder("b")));
    }
}
