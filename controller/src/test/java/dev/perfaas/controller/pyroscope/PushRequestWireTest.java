package dev.perfaas.controller.pyroscope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.perfaas.pyroscope.PushRequest;
import dev.perfaas.pyroscope.PyroscopeStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push body is the golden one: the golden pprof (docs/protocol/pi.pb.gz) with the labels the
 * controller gives a pi profile, and it decodes, in the stand-in's strict reader, to what was written.
 */
class PushRequestWireTest {
    static final Path GOLDEN = Path.of("../docs/protocol");

    static final List<Label> LABELS = List.of(
            new Label("__name__", "process_cpu"),
            new Label("engine", "perf"),
            new Label("instance", "pi-7d9f-12"),
            new Label("namespace", "openfaas-fn"),
            new Label("service_name", "pi"),
            new Label("version", "v7"));
    static final String ID = "5bf8a2c1-9d3e-4c67-a0b4-1e2f3a4b5c6d";

    @Test
    void theBodyIsTheGoldenRequest() throws IOException {
        byte[] pprof = Files.readAllBytes(GOLDEN.resolve("pi.pb.gz"));
        byte[] body = PushRequestWire.encode(LABELS, pprof, ID);
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve("pyroscope-push.bin")), body);

        PushRequest decoded = PushRequest.decode(body);
        assertEquals(1, decoded.series().size());
        PushRequest.Series series = decoded.series().get(0);
        assertEquals(
                Map.of(
                        "__name__", "process_cpu",
                        "engine", "perf",
                        "instance", "pi-7d9f-12",
                        "namespace", "openfaas-fn",
                        "service_name", "pi",
                        "version", "v7"),
                series.labelMap());
        assertEquals(1, series.samples().size());
        assertArrayEquals(pprof, series.samples().get(0).rawProfile());
        assertEquals(ID, series.samples().get(0).id());
    }

    /** PushClient sends the golden request line and headers (tenant team-a, a bearer token from a file). */
    @Test
    void theRequestLineAndHeadersAreTheGoldenOnes(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "golden-token\n");
        try (PyroscopeStandIn pyroscope = PyroscopeStandIn.start()) {
            pyroscope.rejectOlderThan(Duration.ZERO); // the golden pprof is from 2026-11
            PushClient client = new PushClient(
                    pyroscope.url(),
                    Optional.of("team-a"),
                    PushAuth.of(Optional.empty(), Optional.of(token)),
                    Duration.ofSeconds(10));
            byte[] body = Files.readAllBytes(GOLDEN.resolve("pyroscope-push.bin"));
            assertEquals(
                    PushClient.Outcome.PUSHED,
                    client.push(body).outcome(),
                    pyroscope.problems().toString());
            PyroscopeStandIn.Received received = pyroscope.accepted().get(0);
            List<String> golden = Files.readAllLines(GOLDEN.resolve("pyroscope-push.http"));
            assertEquals("POST " + PyroscopeStandIn.PATH, golden.get(0));
            for (String line : golden.subList(1, golden.size())) {
                int colon = line.indexOf(": ");
                assertEquals(
                        line.substring(colon + 2),
                        received.headers().get(line.substring(0, colon).toLowerCase(Locale.ROOT)),
                        line);
            }
            assertArrayEquals(body, received.body());
        }
    }

    @Test
    void theLabelsAreSortedAndNamedAsPyroscopeWantsThem() {
        PprofSource.Pushable cpu = new PprofSource.Pushable(new byte[0], 1, "cpu", 2, "perf", "v7");
        assertEquals(LABELS, PushLabels.of("pi", "openfaas-fn", cpu, "pi-7d9f-12"));
        PprofSource.Pushable wall = new PprofSource.Pushable(new byte[0], 1, "wall", 4, "async", "v7");
        List<Label> staging = PushLabels.of("pi.staging", "openfaas-fn", wall, null);
        assertEquals(new Label("__name__", "wall"), staging.get(0));
        assertEquals(new Label("namespace", "staging"), staging.get(2));
        assertEquals(new Label("service_name", "pi.staging"), staging.get(3));
        assertNull(staging.stream()
                .filter(l -> l.name().equals("instance"))
                .findFirst()
                .orElse(null));
    }
}
