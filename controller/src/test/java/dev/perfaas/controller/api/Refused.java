package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads perfaas_refused_total from /q/metrics, as Prometheus scrapes it. */
final class Refused {

    private Refused() {}

    static double count(String reason) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = Pattern.compile("^perfaas_refused_total\\{reason=\"" + reason + "\"} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        assertTrue(m.find(), "no perfaas_refused_total{reason=\"" + reason + "\"} in /q/metrics");
        return Double.parseDouble(m.group(1));
    }
}
