package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refused upload says what is wrong and leaves nothing under the stacks directory. */
@QuarkusTest
class ProfileRejectionTest {

    /** Generous for linear work on a busy machine; the attacks took minutes. */
    private static final Duration ANSWERED = Duration.ofSeconds(20);

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @AfterEach
    void nothingWritten() {
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void emptyBody() {
        upload().body(new byte[0])
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", equalTo("empty body"));
    }

    @Test
    void textThatIsNotPerfScript() {
        upload().body("hello\n")
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("body is not perf script output"))
                .body("error", containsString("to be a sample line"))
                .body("error", containsString("got \"hello\""));
    }

    @Test
    void blankLineBeforeTheFirstSample() {
        String perf = new String(Stacks.fixture(), StandardCharsets.UTF_8).replaceFirst("\n#\n", "\n#\n\n");
        upload().body(perf)
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("a blank line comes before the first sample"));
    }

    /** JFR's per-thread buffers rendered one after another: the sample on line 7 is earlier than line 4's. */
    private static final String OUT_OF_ORDER = "java 4242/4243 [000] 10.100000: 1 cpu-clock:\n\t0 a.B.c (java)\n\n"
            + "java 4242/4244 [000] 12.700000: 1 cpu-clock:\n\t0 a.B.c (java)\n\n"
            + "java 4242/4243 [000] 11.300000: 1 cpu-clock:\n\t0 a.B.c (java)\n\n";

    private static final String OUT_OF_ORDER_REFUSED = "body is not perf script output: the sample on line 7 at"
            + " 11.300000 s is earlier than the sample before it, on line 4 at 12.700000 s: samples must be in time"
            + " order, since FlameScope reads a profile's end from its last sample";

    @Test
    void windowProfileWithSamplesOutOfTimeOrder() {
        upload().body(OUT_OF_ORDER)
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", startsWith(OUT_OF_ORDER_REFUSED));
    }

    @Test
    void seedUploadWithSamplesOutOfTimeOrder() {
        upload().header("X-name", "pi")
                .body(OUT_OF_ORDER)
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", startsWith(OUT_OF_ORDER_REFUSED));
    }

    @Test
    void slowCallWithSamplesOutOfTimeOrder() {
        // Its lines count from the body sent, not the stored file's header line.
        upload().header("Content-Encoding", "gzip")
                .header("X-Perfaas-Instance", "pod-1")
                .header("X-Perfaas-Call-Id", "call-1")
                .header("X-Perfaas-Latency-Millis", "612.5")
                .header("X-Perfaas-Threshold-Millis", "250")
                .body(Stacks.gzip(OUT_OF_ORDER.getBytes(StandardCharsets.UTF_8)))
                .when()
                .post("/v1/profiles/refused/slow")
                .then()
                .statusCode(400)
                .body("error", startsWith(OUT_OF_ORDER_REFUSED));
    }

    private static final String ONE_SAMPLE =
            "# header\njava 4242/4243 [000] 10.100000: 1 cpu-clock:\n\t0 a.B.c (java)\n";

    private static final String ONE_SAMPLE_REFUSED = "body is not perf script output: it holds one sample (line 2),"
            + " and FlameScope needs two: its flame graph (app/perf/flame_graph.py, _get_profile_range)";

    /** Ends on 12.000000 s: FlameScope's heat map would put that sample one column past its last. */
    private static final String WHOLE_SECOND_END = "java 4242/4243 [000] 11.300000: 1 cpu-clock:\n\t0 a.B.c (java)\n\n"
            + "java 4242/4243 [000] 12.000000: 1 cpu-clock:\n\t0 a.B.c (java)\n";

    private static final String WHOLE_SECOND_END_REFUSED = "body is not perf script output: the last sample, on line 4"
            + " at 12.000000 s, falls on a whole second: FlameScope's heat map (app/perf/heatmap.py";

    /**
     * The three upload endpoints: window profiles, the seed-compatible form and slow calls (gzipped).
     * Slow calls go to a function of their own: each takes a token of its function's slow-call rate,
     * refused or not, and pi's belongs to the golden slow call of ProtocolTest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/profiles/pi", "/", "/v1/profiles/refused/slow"})
    void oneSample(String endpoint) {
        post(endpoint, ONE_SAMPLE).statusCode(400).body("error", startsWith(ONE_SAMPLE_REFUSED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/profiles/pi", "/", "/v1/profiles/refused/slow"})
    void lastSampleOnAWholeSecond(String endpoint) {
        post(endpoint, WHOLE_SECOND_END).statusCode(400).body("error", startsWith(WHOLE_SECOND_END_REFUSED));
    }

    private static ValidatableResponse post(String endpoint, String body) {
        RequestSpecification request = upload();
        if (endpoint.equals("/")) {
            request.header("X-name", "pi").body(body);
        } else if (endpoint.endsWith("/slow")) {
            request.header("Content-Encoding", "gzip")
                    .header("X-Perfaas-Instance", "pod-1")
                    .header("X-Perfaas-Call-Id", "call-1")
                    .header("X-Perfaas-Latency-Millis", "612.5")
                    .header("X-Perfaas-Threshold-Millis", "250")
                    .body(Stacks.gzip(body.getBytes(StandardCharsets.UTF_8)));
        } else {
            request.body(body);
        }
        return request.when().post(endpoint).then();
    }

    @Test
    void garbageAfterAValidFirstSample() {
        byte[] random = new byte[20 * 1024];
        new Random(11).nextBytes(random);
        byte[] fixture = Stacks.fixture();
        byte[] body = Arrays.copyOf(fixture, fixture.length + random.length);
        System.arraycopy(random, 0, body, fixture.length, random.length);
        upload().body(body)
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("line 115 "));
    }

    @Test
    void textAfterAValidFirstSample() {
        upload().body(new String(Stacks.fixture(), StandardCharsets.UTF_8) + "hello\n")
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", startsWith("body is not perf script output: line 115 is neither a sample line"))
                .body("error", endsWith("got \"hello\""));
    }

    @Test
    void gzipCommentBombIsRefusedQuickly() {
        // The first attack: 60 MB of '#' lines in 60 kB of gzip pinned a CPU for minutes.
        byte[] gz = Stacks.gzip("#\n".getBytes(StandardCharsets.UTF_8), 30_000_000);
        assertTimeoutPreemptively(
                ANSWERED,
                () -> upload().header("Content-Encoding", "gzip")
                        .body(gz)
                        .when()
                        .post("/v1/profiles/pi")
                        .then()
                        .statusCode(413)
                        .body("error", startsWith("gzip body inflates more than 400 times")));
    }

    @Test
    void spacesThatBacktrackedAreRefusedQuickly() {
        // The second attack: "x", 60,000 spaces, "y" took the sample regex 13 s.
        assertTimeoutPreemptively(
                ANSWERED,
                () -> upload().body("x" + " ".repeat(60_000) + "y\n")
                        .when()
                        .post("/v1/profiles/pi")
                        .then()
                        .statusCode(400)
                        .body("error", containsString("to be a sample line")));
    }

    @Test
    void refusalAtTheStartOfALargeBodyIsStillAnswered() {
        // The rest of the body is read and dropped (UploadRoute): the client finishes sending, then reads.
        byte[] body = new byte[32 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        System.arraycopy("hello\n".getBytes(StandardCharsets.UTF_8), 0, body, 0, 6);
        upload().body(body)
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("got \"hello\" (line 1)"));
    }

    @Test
    void lineOverTheLimit() {
        upload().body(new String(Stacks.fixture(), StandardCharsets.UTF_8) + "\t0 " + "f".repeat(70_000) + " (m)\n")
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        startsWith(
                                "body is not perf script output: line 115 is longer" + " than 65536 bytes: \"\t0 fff"));
    }

    @Test
    void onlyComments() {
        upload().body("# ========\n# captured on : today\n")
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("only '#' comment lines"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "a\\b", ".."})
    void pathLikeFunctionNames(String name) {
        upload().header("X-name", name)
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", containsString("is not allowed: " + SafeName.FUNCTION_RULE));
    }

    @Test
    void functionNameAgainstTheRule() {
        upload().header("X-name", "!!!")
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", containsString("function name \"!!!\" is not allowed"));
        upload().body(Stacks.fixture())
                .when()
                .post("/v1/profiles/!!!")
                .then()
                .statusCode(400)
                .body("error", containsString("function name \"!!!\" is not allowed"));
    }

    @Test
    void encodedSlashInThePath() {
        upload().urlEncodingEnabled(false)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/a%2Fb")
                .then()
                .statusCode(400)
                .body("error", containsString("\"a/b\" is not allowed"));
    }

    @Test
    void pathLikeInstanceName() {
        upload().header("X-Perfaas-Instance", "../x")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("instance name \"../x\" is not allowed"));
    }

    @Test
    void seedFormWithoutXName() {
        upload().body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(400)
                .body("error", equalTo("header X-name is missing: it names the function"));
    }

    @Test
    void gzipHeaderOnPlainText() {
        upload().header("Content-Encoding", "gzip")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("is not valid gzip data"));
    }

    @Test
    void truncatedGzipLeavesNoTempFile() {
        byte[] gz = Stacks.gzip(Stacks.fixture());
        // Long enough for the first sample line to pass, cut before the end of the stream.
        upload().header("Content-Encoding", "gzip")
                .body(Arrays.copyOf(gz, gz.length * 3 / 4))
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(400)
                .body("error", containsString("is not valid gzip data"));
    }

    @Test
    void unknownContentEncoding() {
        upload().header("Content-Encoding", "br")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(415)
                .body("error", containsString("unsupported Content-Encoding \"br\""));
    }

    private static RequestSpecification upload() {
        return given().contentType("text/plain");
    }
}
