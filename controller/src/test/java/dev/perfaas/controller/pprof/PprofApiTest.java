package dev.perfaas.controller.pprof;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /v1/profiles/{function}/{file}?format=pprof end to end: the real pi profile (docs/protocol/pi.perf)
 * uploaded as the hook sends it, stored, answered as pprof, and read by the real go tool pprof.
 */
@QuarkusTest
class PprofApiTest {
    static final String STORED = "pi-pi-7d9f-12-20261123T132000.perf"; // the window: 1795440000000 ms
    /** go tool pprof -raw's lines for the fixture's heaviest stack, and its labels. */
    static final String HEAVIEST = "         65  656565650: 1 2 3 4 5 6 5 7 5 8 9 10 11 12 13 ";

    static final String LABELS = "engine:[async] function:[pi] instance:[pi-7d9f-12] state:[running] version:[1.4.2]";

    @Inject
    PerfaasConfig config;

    private byte[] stored;

    @BeforeEach
    void uploadThePiProfile() throws IOException {
        Stacks.clean(config.stacksDir());
        stored = Files.readAllBytes(PprofTest.PI);
        int body = indexOf(stored, (byte) '\n') + 1; // after the controller's header line
        asTheHookSends("async", "99")
                .header("X-Perfaas-Window", "1795440000000")
                .body(Stacks.gzip(Arrays.copyOfRange(stored, body, stored.length)))
                .post("/v1/profiles/pi")
                .then()
                .statusCode(201)
                .body("path", equalTo("pi/" + STORED));
    }

    @Test
    void theStoredFileIsTheFixtureAndItsPprofTheGolden() throws IOException {
        assertArrayEquals(
                stored, Files.readAllBytes(config.stacksDir().resolve("pi").resolve(STORED)));
        byte[] pprof = pprof("/v1/profiles/pi/" + STORED);
        assertArrayEquals(
                ProtoFields.gunzip(Files.readAllBytes(PprofTest.GOLDEN.resolve("pi.pb.gz"))),
                ProtoFields.gunzip(pprof));
        byte[] text = given().when()
                .get("/v1/profiles/pi/" + STORED)
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .extract()
                .asByteArray();
        assertArrayEquals(stored, text, "without format: the stored text");
    }

    @Test
    void goToolPprofReadsIt(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("pi.pb.gz"), pprof("/v1/profiles/pi/" + STORED));

        GoPprof.Run raw = GoPprof.run(file, "-raw");
        assertEquals(0, raw.exit(), raw.output());
        List<String> lines = raw.output().lines().toList();
        assertTrue(lines.contains("PeriodType: wall nanoseconds"), raw.output());
        assertTrue(lines.contains("Period: 10101010"), raw.output());
        assertTrue(lines.contains("Time: 2026-11-23 13:20:00 +0000 UTC"), raw.output());
        assertTrue(lines.contains("samples/count wall/nanoseconds[dflt]"), raw.output());
        int heaviest = lines.indexOf(HEAVIEST);
        assertTrue(heaviest > 0, "65 samples, 65 x 10101010 ns, of the same stack: " + raw.output());
        assertEquals(LABELS, lines.get(heaviest + 1).strip());

        GoPprof.Run top = GoPprof.run(file, "-top");
        assertEquals(0, top.exit(), top.output());
        assertTrue(top.output().contains("Type: wall"), top.output());
        assertTrue(top.output().contains("Total samples = 909.09ms"), "90 x 10.10101 ms: " + top.output());
        String first = heaviest(top);
        assertTrue(first.matches(" *656\\.57ms +72\\.22% .* com\\.openfaas\\.function\\.Handler\\.leibnizPi"), first);
    }

    @Test
    void theMergedFlameGraphOfARangeHasOneToo(@TempDir Path dir) throws Exception {
        Path file = Files.write(
                dir.resolve("merged.pb.gz"),
                pprof("/v1/profiles/pi/merged?from=2026-11-23T13:00:00Z&to=2026-11-23T14:00:00Z&version=1.4.2"));

        GoPprof.Run raw = GoPprof.run(file, "-raw");
        assertEquals(0, raw.exit(), raw.output());
        List<String> lines = raw.output().lines().toList();
        assertTrue(lines.contains("samples/count"), "counts only, whatever the frequencies: " + raw.output());
        assertTrue(lines.contains("Period: 0"), raw.output());
        assertTrue(lines.contains("Time: 2026-11-23 13:00:00 +0000 UTC"), raw.output());
        assertTrue(lines.contains("Duration: 1h0m"), raw.output());
        assertTrue(lines.contains("                function:[pi] version:[1.4.2]"), raw.output());

        GoPprof.Run top = GoPprof.run(file, "-top");
        assertEquals(0, top.exit(), top.output());
        String first = heaviest(top);
        // Every upload of this class in the range is the same profile: the shares are the single one's.
        assertTrue(first.matches(" *\\d+ +72\\.22% .* com\\.openfaas\\.function\\.Handler\\.leibnizPi"), first);
    }

    @Test
    void goToolPprofRefusesAMalformedFile(@TempDir Path dir) throws Exception {
        byte[] good = ProtoFields.gunzip(pprof("/v1/profiles/pi/" + STORED));
        byte[] cut = Arrays.copyOf(good, good.length / 2); // a message cut in its middle
        GoPprof.Run run = GoPprof.run(Files.write(dir.resolve("cut.pb.gz"), Pprof.gzip(cut)), "-raw");
        assertNotEquals(0, run.exit(), run.output());
        GoPprof.Run text = GoPprof.run(
                Files.write(dir.resolve("text.pb.gz"), Pprof.gzip("not a profile\n".getBytes(StandardCharsets.UTF_8))),
                "-raw");
        assertNotEquals(0, text.exit(), text.output());
    }

    @Test
    void aSlowCallHasOneToo(@TempDir Path dir) throws Exception {
        asTheHookSends("stack-walk", "40")
                .header("X-Perfaas-Window", "1795440000000")
                .header("X-Perfaas-Latency-Millis", "612.5")
                .header("X-Perfaas-Threshold-Millis", "250")
                .header("X-Perfaas-Call-Ended", "true")
                .body(Stacks.gzip(Stacks.fixture()))
                .post("/v1/profiles/pi/slow")
                .then()
                .statusCode(201)
                .body("path", equalTo("pi/slow/" + STORED));
        Path file = Files.write(dir.resolve("slow.pb.gz"), pprof("/v1/profiles/pi/slow/" + STORED));
        GoPprof.Run raw = GoPprof.run(file, "-raw");
        assertEquals(0, raw.exit(), raw.output());
        assertTrue(raw.output().contains("PeriodType: wall nanoseconds"), raw.output());
        assertTrue(raw.output().contains("Period: 25000000"), "a sample every 25 ms: " + raw.output());
        assertTrue(raw.output().contains("engine:[stack-walk]"), raw.output());
    }

    @Test
    void refusals() {
        given().when().get("/v1/profiles/pi/" + STORED + "?format=svg").then().statusCode(400);
        given().when()
                .get("/v1/profiles/pi/pi-gone-20261123T132000.perf?format=pprof")
                .then()
                .statusCode(404)
                .body("error", containsString("no profile"));
        given().when()
                .get("/v1/profiles/Not_A_Function/" + STORED + "?format=pprof")
                .then()
                .statusCode(400);
    }

    private static RequestSpecification asTheHookSends(String engine, String hz) {
        return given().contentType("text/plain; charset=utf-8")
                .header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", "pi-7d9f-12")
                .header("X-Perfaas-Engine", engine)
                .header("X-Perfaas-Version", "1.4.2")
                .header("X-Perfaas-Frequency-Hz", hz)
                .header("X-Perfaas-Clock-Offset-Nanos", "1795427331498060000")
                .when();
    }

    private static byte[] pprof(String path) {
        return given().queryParam("format", "pprof")
                .when()
                .get(path)
                .then()
                .statusCode(200)
                .contentType("application/octet-stream")
                .header("Content-Disposition", containsString(".pb.gz"))
                .extract()
                .asByteArray();
    }

    /** The first row of {@code go tool pprof -top}: the heaviest function. */
    private static String heaviest(GoPprof.Run top) {
        return top.output()
                .lines()
                .dropWhile(l -> !l.strip().startsWith("flat"))
                .skip(1)
                .findFirst()
                .orElseThrow();
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
