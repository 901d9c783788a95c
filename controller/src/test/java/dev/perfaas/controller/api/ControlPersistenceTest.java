package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.control.Targets;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.loop.ControlService;
import dev.perfaas.controller.loop.ControlStore;
import dev.perfaas.controller.loop.FunctionControl;
import dev.perfaas.controller.loop.SavedControl;
import dev.perfaas.controller.targets.TargetsBook;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ControlPersistenceTest {

    @Inject
    ControlService control;

    @Inject
    TargetsBook targets;

    @Inject
    PerfaasConfig config;

    @Inject
    FunctionRegistry registry;

    @Test
    void aSecondStoreReadsWhatTheServiceSaved() {
        control.putTargets("ps-fn", new Targets(0.05, 1200, 49, 499, 0.002));
        Windows.quiet("ps-fn", 0);
        control.stepAll(System.currentTimeMillis());
        Windows.expensive("ps-fn", 60);
        control.stepAll(System.currentTimeMillis());

        SavedControl saved = new ControlStore(config.dataDir(), config.control().history()).load();

        assertEquals(targets.overrides(), saved.targets());
        Map<String, FunctionControl> controls = new TreeMap<>();
        saved.functions().forEach((function, f) -> {
            if (f.control() != null) {
                controls.put(function, f.control());
            }
        });
        assertEquals(control.functions(), controls);
        assertEquals(
                registry.counters("ps-fn").orElseThrow(),
                saved.functions().get("ps-fn").counters(),
                "the counters are saved with the step");
        FunctionControl fn = controls.get("ps-fn");
        assertEquals(2, fn.history().size());
        JsonPath answered = given().when()
                .get("/v1/policy/ps-fn")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(fn.policy().version(), answered.getLong("version"));
        assertEquals(fn.policy().frequencyHz(), answered.getInt("frequencyHz"));
        assertEquals(fn.policy().fraction(), answered.getDouble("fraction"), 1e-12);
    }
}
