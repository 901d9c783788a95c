package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refused upload says what is wrong and leaves nothing under the stacks directory. */
@QuarkusTest
class ProfileRejectionTest {

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
        upload().body(new byte[0]).when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", equalTo("empty body"));
    }

    @Test
    void textThatIsNotPerfScript() {
        upload().body("hello\n").when().post("/v1/profiles/pi")
                .then().statusCode(400)
                .body("error", containsString("body is not perf script output"))
                .body("error", containsString("to be a sample line"))
                .body("error", containsString("got \"hello\""));
    }

    @Test
    void blankLineBeforeTheFirstSample() {
        String perf = new String(Stacks.fixture(), StandardCharsets.UTF_8).replaceFirst("\n#\n", "\n#\n\n");
        upload().body(perf).when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", containsString("a blank line comes before the first sample"));
    }

    @Test
    void onlyComments() {
        upload().body("# ========\n# captured on : today\n").when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", containsString("only '#' comment lines"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "a\\b", ".."})
    void pathLikeFunctionNames(String name) {
        upload().header("X-name", name).body(Stacks.fixture()).when().post("/")
                .then().statusCode(400)
                .body("error", containsString("is not allowed: " + SafeName.FUNCTION_RULE));
    }

    @Test
    void functionNameAgainstTheRule() {
        upload().header("X-name", "!!!").body(Stacks.fixture()).when().post("/")
                .then().statusCode(400).body("error", containsString("function name \"!!!\" is not allowed"));
        upload().body(Stacks.fixture()).when().post("/v1/profiles/!!!")
                .then().statusCode(400).body("error", containsString("function name \"!!!\" is not allowed"));
    }

    @Test
    void encodedSlashInThePath() {
        upload().urlEncodingEnabled(false).body(Stacks.fixture()).when().post("/v1/profiles/a%2Fb")
                .then().statusCode(400).body("error", containsString("\"a/b\" is not allowed"));
    }

    @Test
    void pathLikeInstanceName() {
        upload().header("X-Perfaas-Instance", "../x").body(Stacks.fixture()).when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", containsString("instance name \"../x\" is not allowed"));
    }

    @Test
    void seedFormWithoutXName() {
        upload().body(Stacks.fixture()).when().post("/")
                .then().statusCode(400).body("error", equalTo("header X-name is missing: it names the function"));
    }

    @Test
    void gzipHeaderOnPlainText() {
        upload().header("Content-Encoding", "gzip").body(Stacks.fixture()).when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", containsString("is not valid gzip data"));
    }

    @Test
    void truncatedGzipLeavesNoTempFile() {
        byte[] gz = Stacks.gzip(Stacks.fixture());
        // Long enough for the first sample line to pass, cut before the end of the stream.
        upload().header("Content-Encoding", "gzip").body(Arrays.copyOf(gz, gz.length * 3 / 4))
                .when().post("/v1/profiles/pi")
                .then().statusCode(400).body("error", containsString("is not valid gzip data"));
    }

    @Test
    void unknownContentEncoding() {
        upload().header("Content-Encoding", "br").body(Stacks.fixture()).when().post("/v1/profiles/pi")
                .then().statusCode(415).body("error", containsString("unsupported Content-Encoding \"br\""));
    }

    private static RequestSpecification upload() {
        return given().contentType("text/plain");
    }
}
