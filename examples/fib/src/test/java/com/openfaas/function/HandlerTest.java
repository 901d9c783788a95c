package com.openfaas.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openfaas.model.IResponse;
import com.openfaas.model.Request;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlerTest {
    private static IResponse call(String query) {
        return new Handler().Handle(new Request("", Map.of(), query, "/"));
    }

    @Test
    void fibonacciMatchesTheSequence() {
        long[] first = {0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55};
        for (int n = 0; n < first.length; n++) {
            assertEquals(first[n], Handler.fibonacci(n), "fib(" + n + ")");
        }
        assertEquals(832_040, Handler.fibonacci(30));
    }

    @Test
    void answersWithTheValue() {
        IResponse res = call("n=20");
        assertEquals(200, res.getStatusCode());
        assertEquals("fib(20) = 6765\n", res.getBody());
    }

    @Test
    void noQueryMeansTheDefault() {
        assertEquals("fib(30) = 832040\n", call("").getBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"n=abc", "n=-1", "n=46", "n=1e3", "n=99999999999"})
    void badInputIsA400(String query) {
        IResponse res = call(query);
        assertEquals(400, res.getStatusCode(), res.getBody());
        assertTrue(res.getBody().startsWith("n must be"), res.getBody());
    }
}
