package dev.perfaas.containers;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node agent's container tests share: Docker and perf on the host (else each test is
 * reported skipped, or fails under PERFAAS_REQUIRE_*), and a controller per test class that samples
 * everything in short windows.
 */
abstract class NodeAgentTests {
    /** Sample all the time at 99 Hz: a short run is sure to hold samples. */
    static final String SAMPLE_EVERYTHING = "{\"maxOverhead\":0.5,\"samplesPerMinute\":100000,"
            + "\"minFrequencyHz\":99,\"maxFrequencyHz\":99,\"minFraction\":1.0}";

    @TempDir
    static Path work;

    static ControllerContainer controller;

    /** Per test, so that without Docker each test is reported skipped; the controller is shared by a class's tests. */
    @BeforeEach
    void hostCanProfile() throws Exception {
        DockerEngine.assumeRunning();
        HostPerf.assumeReady();
        if (controller == null) {
            controller = ControllerContainer.start(work.resolve("controller"), ControllerContainer.SHORT_WINDOWS);
            ControllerApi.putTargets(controller.url, "_default", SAMPLE_EVERYTHING);
        }
    }

    @AfterAll
    static void stopController() {
        if (controller != null) {
            controller.close();
            controller = null; // the next test class starts its own
        }
    }
}
