package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ApiTokenTest.WithTokens.class)
class ApiTokenTest {

    static final String FILE_TOKEN = "from-the-secret-file";
    static final String VALUE_TOKEN = "from-the-setting";

    public static class WithTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path file = Path.of("target/test-token");
            try {
                Files.writeString(file, "  " + FILE_TOKEN + "\n"); // as `kubectl create secret` may leave it
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "perfaas.api-token-file",
                    file.toString(),
                    "perfaas.api-token",
                    VALUE_TOKEN,
                    "perfaas.stacks-dir",
                    "target/test-stacks-token");
        }
    }

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    @Test
    void uploadWithoutTokenIsRefused() {
        double before = Refused.count("unauthorized");
        given().contentType("text/plain")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", containsString("missing Authorization header"));
        given().contentType("text/plain")
                .header("X-name", "pi")
                .body(Stacks.fixture())
                .when()
                .post("/")
                .then()
                .statusCode(401);
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
        assertEquals(before + 2, Refused.count("unauthorized"));
    }

    @Test
    void uploadWithWrongTokenIsRefused() {
        given().contentType("text/plain")
                .header("Authorization", "Bearer " + FILE_TOKEN + "x")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid bearer token"));
        given().contentType("text/plain")
                .header("Authorization", FILE_TOKEN)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(401);
        assertEquals(List.of(), Stacks.entries(config.stacksDir()));
    }

    @Test
    void uploadWithEitherTokenIsStored() {
        given().contentType("text/plain")
                .header("Authorization", "Bearer " + FILE_TOKEN)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(201);
        given().contentType("text/plain")
                .header("Authorization", "bearer " + VALUE_TOKEN)
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/pi")
                .then()
                .statusCode(201);
        assertEquals(3, Stacks.entries(config.stacksDir()).size());
    }

    @Test
    void reportsNeedTheTokenToo() {
        String report = ReportResourceTest.report("tok", "h", 1, 0, 0);
        given().contentType(ContentType.JSON)
                .body(report)
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + VALUE_TOKEN)
                .body(report)
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(202);
    }

    @Test
    void targetsNeedTheToken() {
        String body = TargetsResourceTest.NARROW;
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/v1/targets/tok-fn")
                .then()
                .statusCode(401)
                .body("error", containsString("missing Authorization header"));
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer wrong")
                .body(body)
                .when()
                .put("/v1/targets/tok-fn")
                .then()
                .statusCode(401);
        given().when().get("/v1/targets/tok-fn").then().statusCode(200).body("source", equalTo("config"));
        given().when().get("/v1/policy/tok-fn").then().body("frequencyHz", equalTo(Prior.HZ));

        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + VALUE_TOKEN)
                .body(body)
                .when()
                .put("/v1/targets/tok-fn")
                .then()
                .statusCode(200)
                .body("source", equalTo("function"));
        given().when().delete("/v1/targets/tok-fn").then().statusCode(401);
        given().when().get("/v1/targets/tok-fn").then().body("source", equalTo("function"));
        given().header("Authorization", "Bearer " + FILE_TOKEN)
                .when()
                .delete("/v1/targets/tok-fn")
                .then()
                .statusCode(200)
                .body("source", equalTo("config"));
    }

    @Test
    void readsStayOpen() {
        given().when().get("/v1/policy/pi").then().statusCode(200);
        given().when().get("/v1/functions").then().statusCode(200);
        given().when().get("/v1/targets").then().statusCode(200);
        // The bare address leads a browser to the dashboard, token or not.
        given().redirects().follow(false).when().get("/").then().statusCode(303);
        given().redirects().follow(false).when().head("/").then().statusCode(303);
    }

    /** Reads need no token, so they must not be a way around it: a policy poll registers nothing. */
    @Test
    void readsChangeNothing() {
        given().queryParam("instance", "h-1")
                .when()
                .get("/v1/policy/tok-read")
                .then()
                .statusCode(200);
        given().when().get("/v1/functions").then().body("function", not(hasItem("tok-read")));
        given().when().get("/v1/functions/tok-read").then().statusCode(404);
    }
}
