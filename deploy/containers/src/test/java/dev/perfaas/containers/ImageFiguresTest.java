package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints each image's size and its start-to-ready time (docker start until the readiness endpoint
 * answers 200: /q/health/ready for the controller, the function's ready_path), for BENCHMARKS.md.
 * Only readiness is asserted, never a time: this machine may be busy.
 */
class ImageFiguresTest {
    private static final int STARTS = 3;

    @TempDir
    Path work;

    /** Per test, so that without Docker each test is reported skipped. */
    @BeforeEach
    void docker() {
        DockerEngine.assumeRunning();
    }

    @Test
    void printsSizesAndStartToReadyTimes() throws Exception {
        List<Duration> controllerStarts = new ArrayList<>();
        List<Duration> functionStarts = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            try (ControllerContainer controller =
                    ControllerContainer.create(work.resolve("controller-" + i), Map.of())) {
                controllerStarts.add(startToReady(controller.container, controller::awaitReady));
                try (FunctionContainer pi =
                        FunctionContainer.create("pi-figures", controller.url, List.of(), Map.of())) {
                    functionStarts.add(startToReady(pi.container, pi::awaitReady));
                }
            }
        }
        long controllerSize = Images.size(Images.CONTROLLER);
        long functionSize = Images.size(Images.FUNCTION);
        assertTrue(controllerSize > 0 && functionSize > 0);
        System.out.printf("%n| image | size (MB) | start to ready, s (%d starts, median) |%n|---|---:|---|%n", STARTS);
        System.out.printf(
                "| function (examples/pi, template Dockerfile) | %d | %s |%n",
                functionSize / 1_000_000, seconds(functionStarts));
        System.out.printf(
                "| controller (deploy/controller.Dockerfile) | %d | %s |%n%n",
                controllerSize / 1_000_000, seconds(controllerStarts));
    }

    private static Duration startToReady(Container container, Runnable awaitReady) {
        long t0 = System.nanoTime();
        container.start();
        awaitReady.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static String seconds(List<Duration> starts) {
        List<Duration> sorted = starts.stream().sorted().toList();
        return String.format(
                "%s (median %.2f)",
                starts.stream()
                        .map(d -> String.format("%.2f", d.toMillis() / 1000.0))
                        .toList(),
                sorted.get(sorted.size() / 2).toMillis() / 1000.0);
    }
}
