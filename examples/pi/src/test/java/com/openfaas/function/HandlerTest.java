package com.openfaas.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openfaas.model.IResponse;
import com.openfaas.model.Request;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerTest {
    @Test
    void leibnizConvergesToPi() {
        assertEquals(Math.PI, Handler.leibnizPi(1_000_000), 1e-5);
        assertEquals(4.0, Handler.leibnizPi(1), 0);
    }

    @Test
    void answersWithPiThroughTheFile() {
        IResponse res = new Handler().Handle(new Request("", Map.of(), "terms=1000", "/"));
        assertEquals(200, res.getStatusCode());
        assertTrue(res.getBody().startsWith("pi ~ 3.14"), res.getBody());
        assertTrue(res.getBody().contains("(1000 terms)"), res.getBody());
    }

    @Test
    void badTermsAreA400() {
        IResponse res = new Handler().Handle(new Request("", Map.of(), "terms=abc", "/"));
        assertEquals(400, res.getStatusCode());
        assertTrue(res.getBody().contains("whole number"));
        assertThrows(IllegalArgumentException.class, () -> Handler.parseTerms("0"));
    }
}
