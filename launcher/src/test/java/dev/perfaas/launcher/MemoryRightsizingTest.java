package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory rightsizing with real parts: the controller jar and examples/lines served by the
 * template's run.sh and runtime, driven with 1,000 to 1,000,000 lines. The handler tags each
 * invocation with its lines (X-Perfaas-Tag); the controller's fit must find the bytes a line costs
 * within 25 % of what the handler's heap holds a line: within 15 % of its retainedBytesEstimate, which
 * the example's HandlerTest holds within 8 % of the heap measured before and after a full GC.
 */
class MemoryRightsizingTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    private static final int[] INPUTS = {
        1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000
    };

    @TempDir
    Path work;

    /** Whatever the test stored opens in FlameScope. */
    @AfterEach
    void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void linesGetsARecommendationAndItsBytesPerLine() throws Exception {
        double estimatePerLine = 0;
        try (ControllerProcess controller = ControllerProcess.start(
                PROJECT,
                Http.freePort(),
                work.resolve("stacks"),
                Map.of(
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.policy.window-seconds", "2",
                        "perfaas.policy.refresh-seconds", "1"),
                work.resolve("controller.log"))) {
            Path context =
                    FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/lines"), work.resolve("context"));
            try (FunctionProcess lines = FunctionProcess.start(
                    "lines",
                    context,
                    Http.freePort(),
                    controller.url,
                    Map.of("PERFAAS_INSTANCE", "lines-1", "JAVA_OPTS", "-Xmx512m"),
                    work.resolve("lines.log"))) {
                Random random = new Random(12);
                List<Integer> round = new ArrayList<>();
                for (int n : INPUTS) {
                    round.add(n);
                }
                // One invocation in eight per request thread is weighed: 24 rounds give ~30 points over the inputs.
                for (int r = 0; r < 24; r++) {
                    Collections.shuffle(round, random);
                    for (int n : round) {
                        HttpResponse<String> res = Http.get(lines.url.resolve("/?lines=" + n));
                        assertEquals(200, res.statusCode(), res.body());
                        assertTrue(
                                res.headers().firstValue("X-Perfaas-Tag").isEmpty(),
                                "the runtime strips the tag header");
                        if (n == 1_000_000) {
                            Map<String, Object> answer = Json.parseObject(res.body());
                            estimatePerLine = Json.number(answer, "retainedBytesEstimate") / n;
                        }
                    }
                }
            } // SIGTERM: the function sends its last window

            Map<String, Object> memory = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                Map<String, Object> detail =
                        (Map<String, Object>) Http.getJson(controller.url.resolve("/v1/functions/lines"));
                memory = (Map<String, Object>) detail.get("memory");
                if (Json.number(detail, "invocations") == 24 * INPUTS.length) {
                    break;
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertNotNull(memory);
            System.out.println("lines memory: " + memory);

            Map<String, Object> fit = (Map<String, Object>) memory.get("fit");
            assertNotNull(fit, memory.toString());
            double perLine = Json.number(fit, "bytesPerUnit");
            assertTrue(
                    Math.abs(perLine - estimatePerLine) <= 0.15 * estimatePerLine,
                    "fitted " + perLine + " bytes a line, the heap holds " + estimatePerLine + ": " + memory);
            assertTrue(Json.number(fit, "explained") > 0.9, memory.toString());
            assertTrue(Json.number(memory, "points") >= 8, memory.toString());
            assertEquals(1_000_000, Json.number(memory, "inputP99"));
            Map<String, Object> recommendation = (Map<String, Object>) memory.get("recommendation");
            assertNotNull(recommendation, memory.toString());
            // The heap for one 1,000,000-line call, x 1.5: above the ~100 MB it holds.
            assertTrue(Json.number(recommendation, "heapBytes") > 1.5 * 1_000_000 * estimatePerLine, memory.toString());
            assertTrue(
                    List.of("over-provisioned", "under-provisioned", "optimized")
                            .contains(memory.get("finding")),
                    memory.toString());

            ByteArrayOutputStream table = new ByteArrayOutputStream();
            new StatusTable(controller.url, new PrintStream(table, true, StandardCharsets.UTF_8)).print();
            String shown = table.toString(StandardCharsets.UTF_8);
            System.out.print(shown);
            assertTrue(shown.contains((String) memory.get("finding")), shown);
            assertTrue(shown.contains(" ms "), "the warm p99 column: " + shown);
        }
    }
}
