package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReportEncodingTest {

    /** ReportFuzzTest's first finding: a body Jackson takes for UTF-32 failed the controller with a 500. */
    @Test
    void aBodyThatLooksLikeUtf32IsABadRequest() throws IOException {
        byte[] body;
        try (InputStream in = getClass()
                .getResourceAsStream("/dev/perfaas/controller/functions/ReportFuzzTestInputs/report/utf32-lookalike")) {
            body = in.readAllBytes();
        }
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/v1/reports")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", startsWith("invalid JSON body: Invalid UTF-32 character"));
    }
}
