package dev.perfaas.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a controller meets in months unattended, with real processes and files: each case asserts
 * the answer and that nothing partial became visible or was lost. A full disk is FullDiskTest's, in
 * the controller.
 */
class FaultTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    /** One sample of perf script text as FlameScope reads it, about 100 bytes; a profile needs two or more. */
    private static final String SAMPLE = "java 4242 [001] 47.529493: 2004008 cpu-clock:\n"
            + "\t    7f3a2b1c4d5e Handler.leibnizPi (/tmp/perf-4242.map)\n\n";

    @TempDir
    Path work;

    /** Whatever the test stored opens in FlameScope. */
    @AfterEach
    void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    /**
     * SIGKILL of the controller under load: every invocation answers while it is gone, and what the
     * hook measured meanwhile (reports and profiles of the windows that closed) arrives once it is back.
     */
    @Test
    void aControllerKilledUnderLoadLosesNoInvocationAndNoWindow() throws Exception {
        Path stacks = work.resolve("stacks");
        int port = Http.freePort();
        Map<String, String> windows =
                Map.of("perfaas.policy.window-seconds", "2", "perfaas.policy.refresh-seconds", "1");
        ControllerProcess controller = start(port, stacks, windows);
        long okAtKill;
        long backMillis;
        try {
            traceEverything(controller.url);
            Path context = FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/pi"), work.resolve("context"));
            try (FunctionProcess pi = FunctionProcess.start(
                            "pi-kill",
                            context,
                            Http.freePort(),
                            controller.url,
                            Map.of("PERFAAS_INSTANCE", "pi-kill-1"),
                            work.resolve("pi.log"));
                    LoadDriver load = new LoadDriver(pi.url.resolve("/?terms=100000"), 2)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                !StoredProfiles.in(stacks.resolve("pi-kill")).isEmpty());
                controller.process.destroyForcibly().waitFor();
                okAtKill = load.ok.sum();
                Thread.sleep(6_000); // three windows close while the controller is gone
                controller.close();
                backMillis = System.currentTimeMillis();
                controller = start(port, stacks, windows);
                Thread.sleep(4_000);
                load.close();
                assertEquals(0, load.failed.sum(), "invocations failed; function log:\n" + pi.logTail());
                long ok = load.ok.sum();
                pi.close(); // SIGTERM: the last window is flushed
                URI url = controller.url;
                // At least everything served since the kill is counted (the rest may be, as saved before it), never
                // twice.
                await().atMost(Duration.ofSeconds(30)).until(() -> invocations(url, "pi-kill") >= ok - okAtKill);
                assertTrue(
                        invocations(url, "pi-kill") <= ok,
                        "counted twice: " + invocations(url, "pi-kill") + " > " + ok);
            }
            String downtime = "window profiles from while the controller was down";
            java.time.format.DateTimeFormatter stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                    .withZone(java.time.ZoneOffset.UTC);
            long back = backMillis / 1000;
            long restarted = backMillis;
            // Named by its first traced invocation (a profile may carry windows from before the kill), stored after
            // the controller came back: it waited in the hook's outbox.
            List<Path> during = StoredProfiles.in(stacks.resolve("pi-kill")).stream()
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        String s = name.substring("pi-kill-pi-kill-1-".length(), "pi-kill-pi-kill-1-".length() + 15);
                        long t = java.time.Instant.from(stamp.parse(s)).getEpochSecond();
                        return t < back && storedMillis(p) >= restarted;
                    })
                    .toList();
            assertFalse(during.isEmpty(), downtime + ": none among " + StoredProfiles.in(stacks.resolve("pi-kill")));
        } finally {
            controller.close();
        }
    }

    /** SIGKILL while a profile streams in: no partial file is ever visible, and startup sweeps the temp file. */
    @Test
    void aControllerKilledDuringAnUploadLeavesNoPartialProfile() throws Exception {
        Path stacks = work.resolve("stacks");
        int port = Http.freePort();
        try (ControllerProcess c = start(port, stacks, Map.of())) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/profiles/killed HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Perfaas-Instance: i-1\r\n"
                                + "Content-Length: 50000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = SAMPLE.repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                // Streams until the controller has started its temp file, then stops sending mid-body.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    out.write(chunk);
                    out.flush();
                    return !temps(stacks).isEmpty();
                });
                c.process.destroyForcibly().waitFor();
            }
            assertEquals(List.of(), StoredProfiles.in(stacks.resolve("killed")), "a partial profile is visible");
        }
        try (ControllerProcess c = start(port, stacks, Map.of())) {
            assertEquals(List.of(), temps(stacks), "the temp file of the killed upload is still there");
            assertEquals(List.of(), StoredProfiles.in(stacks.resolve("killed")));
            assertEquals(201, upload(c.url, "killed", SAMPLE.repeat(2)).statusCode(), "the next upload is stored");
        }
    }

    /** A damaged state file stops the startup, naming the file, rather than starting without the operators' targets. */
    @Test
    void aCorruptedStateFileStopsTheStartupNamingIt() throws Exception {
        Path stacks = work.resolve("stacks");
        int port = Http.freePort();
        try (ControllerProcess c = start(port, stacks, Map.of())) {
            HttpResponse<String> put = Http.send(
                    "PUT",
                    c.url.resolve("/v1/targets/pi"),
                    "{\"maxOverhead\":0.02,"
                            + "\"samplesPerMinute\":300,\"minFrequencyHz\":19,\"maxFrequencyHz\":49,\"minFraction\":0.01}");
            assertEquals(200, put.statusCode(), put.body());
        }
        Path state = work.resolve("data").resolve("control.json");
        byte[] saved = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(saved, saved.length / 2)); // a disk that lost the file's end

        IOException refused =
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> start(port, stacks, Map.of()));
        assertTrue(
                refused.getMessage().contains(state.toString()),
                "the error does not name " + state + ":\n" + refused.getMessage());
        assertTrue(
                java.util.Arrays.equals(java.util.Arrays.copyOf(saved, saved.length / 2), Files.readAllBytes(state)),
                "the damaged file was changed: it is the operator's to repair");
    }

    /** Every invocation traced at a high rate: every window holds samples and makes a profile. */
    private static void traceEverything(URI controller) throws Exception {
        HttpResponse<String> put = Http.send(
                "PUT",
                controller.resolve("/v1/targets/_default"),
                "{\"maxOverhead\":0.5,"
                        + "\"samplesPerMinute\":100000,\"minFrequencyHz\":499,\"maxFrequencyHz\":499,\"minFraction\":1.0}");
        assertEquals(200, put.statusCode(), put.body());
    }

    private static long invocations(URI controller, String function) throws Exception {
        HttpResponse<String> r = Http.get(controller.resolve("/v1/functions/" + function));
        if (r.statusCode() == 404) {
            return 0;
        }
        Object v = ((Map<?, ?>) Json.parse(r.body())).get("invocations");
        return v == null ? 0 : ((Double) v).longValue();
    }

    private ControllerProcess start(int port, Path stacks, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("perfaas.data-dir", work.resolve("data").toString());
        return ControllerProcess.start(
                PROJECT, port, stacks, all, work.resolve("controller-" + System.nanoTime() + ".log"));
    }

    private static HttpResponse<String> upload(URI controller, String function, String body)
            throws IOException, InterruptedException {
        return Http.CLIENT.send(
                HttpRequest.newBuilder(controller.resolve("/v1/profiles/" + function))
                        .timeout(Duration.ofSeconds(30))
                        .header("X-Perfaas-Instance", "i-1")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long storedMillis(Path profile) {
        try {
            return Files.getLastModifiedTime(profile).toMillis();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> temps(Path stacks) throws IOException {
        try (Stream<Path> s = Files.list(stacks)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
