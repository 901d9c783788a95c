package dev.perfaas.controller.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.functions.FunctionRegistry;
import dev.perfaas.controller.functions.WindowReport;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A clean stop saves the counters of functions the loop has not stepped since their last report. */
@QuarkusTest
class StopSaveTest {

    @Inject
    ControlService control;

    @Inject
    FunctionRegistry registry;

    @Inject
    PerfaasConfig config;

    @Test
    void aCleanStopSavesEveryFunctionsCounters() {
        registry.report(new WindowReport(
                "stop-fn", "h", 1_000, 61_000, "async", null, 0, 1, 0.1, 99, 42, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
                0, null, List.of(), false, null, null, null, null, null, null, null));
        registry.profileStored("stop-stored", "h");

        control.stopping(new ShutdownEvent());

        SavedControl saved = new ControlStore(config.dataDir(), config.control().history()).load();
        assertEquals(
                registry.counters("stop-fn").orElseThrow(),
                saved.functions().get("stop-fn").counters());
        assertEquals(
                registry.counters("stop-stored").orElseThrow(),
                saved.functions().get("stop-stored").counters());
    }
}
