package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.launcher.Http;
import dev.perfaas.launcher.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

/** The controller's operator API, as the tests use it. */
final class ControllerApi {
    private ControllerApi() {}

    /** GET /v1/functions/{function}, or an empty map while the controller has not heard of it. */
    static Map<String, Object> function(URI controller, String function) throws IOException, InterruptedException {
        HttpResponse<String> r = Http.get(controller.resolve("/v1/functions/" + function));
        return r.statusCode() == 404 ? Map.of() : Json.parseObject(r.body());
    }

    /** A number field of GET /v1/functions/{function}, 0 while absent. */
    static long count(URI controller, String function, String field) throws IOException, InterruptedException {
        Object v = function(controller, function).get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static void putTargets(URI controller, String function, String targetsJson)
            throws IOException, InterruptedException {
        HttpResponse<String> put = Http.send("PUT", controller.resolve("/v1/targets/" + function), targetsJson);
        assertEquals(200, put.statusCode(), put.body());
    }
}
