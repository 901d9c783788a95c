package dev.perfaas.controller.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /metrics, where OpenFaaS's bundled Prometheus scrapes, has the series /q/metrics has. */
@QuarkusTest
class MetricsPathTest {
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE);

    @Test
    void metricsHasTheSeriesOfQuarkusMetrics() {
        String quarkus = scrape("/q/metrics");
        String alias = scrape("/metrics"); // second: meters are only ever added, so it has every family of the first
        assertTrue(alias.contains("perfaas_refused_total{"), alias);
        assertTrue(families(alias).containsAll(families(quarkus)), families(quarkus) + " against " + families(alias));
    }

    private static String scrape(String path) {
        return given().accept("text/plain") // the Prometheus text format, which /q/metrics also offers
                .when()
                .get(path)
                .then()
                .statusCode(200)
                .contentType(startsWith("text/plain"))
                .extract()
                .asString();
    }

    private static Set<String> families(String scrape) {
        Set<String> out = new TreeSet<>();
        Matcher m = TYPE.matcher(scrape);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
