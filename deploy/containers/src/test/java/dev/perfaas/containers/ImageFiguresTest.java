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
                "| function (examples/pi, java17-perfaas) | %d | %s |%n",
                functionSize / 1_000_000, seconds(functionStarts));
        System.out.printf(
                "| controller (deploy/controller.Dockerfile) | %d | %s |%n%n",
                controllerSize / 1_000_000, seconds(controllerStarts));
    }

    /** Each template's image by layer (docker history): base, Java runtime, added packages, the rest. */
    @Test
    void printsTheFunctionImagesLayers() throws Exception {
        System.out.printf(
                "%n| template | image | base | Java runtime | ship-packages | the rest: perfaas, the handler's jars, watchdog |%n"
                        + "|---|---:|---:|---:|---:|---:|%n");
        for (String template : List.of("java17-perfaas", "java17-perfaas-perf")) {
            String image = template.endsWith("-perf") ? Images.perfFunction() : Images.function();
            long base = Images.size("debian:bookworm-slim");
            long total = Images.size(image);
            long jre = layersCreatedBy(image, "/opt/java");
            long packages = layersCreatedBy(image, "ship-packages");
            assertTrue(jre > 0, "no /opt/java layer in " + image);
            System.out.printf(
                    "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    template, mb(total), mb(base), mb(jre), mb(packages), mb(total - base - jre - packages));
        }
        System.out.println();
    }

    /** Bytes of the image's layers whose creating instruction names {@code word}. */
    private static long layersCreatedBy(String image, String word) {
        long sum = 0;
        for (String line : Docker.ok(
                        "history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image)
                .split("\n")) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && f[1].contains(word)) {
                sum += Long.parseLong(f[0].trim());
            }
        }
        return sum;
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
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
