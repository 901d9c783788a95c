package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.flamescope.FlameScopeOracle;
import dev.perfaas.flamescope.Reading;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/profiles/{function} and its samples, read back from the real stacks directory. */
@QuarkusTest
class ProfileViewTest {

    private static final String FILE = "sh-sh-1-20261123T131902.perf";

    @Inject
    PerfaasConfig config;

    @Inject
    ProfileStore store;

    @BeforeEach
    void upload() {
        Stacks.clean(config.stacksDir());
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", "sh-1")
                .header("X-Perfaas-Window", "1795439942000")
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/sh")
                .then()
                .statusCode(201);
    }

    @Test
    void listsStoredAndSlowProfiles() throws IOException {
        Path slow = Files.createDirectories(config.stacksDir().resolve("sh/slow"));
        Files.write(slow.resolve("sh-sh-1-call-7.perf"), Stacks.fixture());
        store.retention().rescan(); // the listing is retention's index, which meets files put by hand at a rescan
        given().when()
                .get("/v1/profiles/sh")
                .then()
                .statusCode(200)
                .body("file", hasItem(FILE))
                .body("file", hasItem("slow/sh-sh-1-call-7.perf"))
                .body("find { it.file == 'slow/sh-sh-1-call-7.perf' }.slow", equalTo(true))
                .body("find { it.file == '" + FILE + "' }.bytes", equalTo(Stacks.storedFixture("sh", "sh-1").length));
        given().queryParam("file", "slow/sh-sh-1-call-7.perf")
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(200)
                .body("samples", equalTo(Stacks.FIXTURE_SAMPLES));
        given().when().get("/v1/profiles/nothing-stored").then().statusCode(200).body("size()", equalTo(0));
    }

    /**
     * The dashboard draws its heat map from {@code heatmap} and its flame graph from {@code stacks}
     * (profile.js sums their counts): both count what FlameScope counts for the same stored file.
     */
    @Test
    void countsWhatFlameScopeCounts() {
        Reading flameScope =
                FlameScopeOracle.read(config.stacksDir().resolve("sh").resolve(FILE));
        JsonPath dashboard = given().queryParam("file", FILE)
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Integer> heatmap = dashboard.getList("heatmap");
        assertEquals(0, dashboard.getLong("outsideHeatmap"));
        assertEquals(
                flameScope.heatmapSamples(),
                heatmap.stream().mapToLong(Integer::longValue).sum());
        List<List<Number>> stacks = dashboard.getList("stacks");
        assertEquals(0, dashboard.getLong("otherStacks"));
        assertEquals(
                flameScope.flameGraphSamples(),
                stacks.stream().mapToLong(st -> st.get(0).longValue()).sum());
        assertEquals(Stacks.FIXTURE_SAMPLES, flameScope.heatmapSamples());
    }

    @Test
    void samplesAggregateStacksRootFirstAndFillTheHeatMap() {
        JsonPath all = given().queryParam("file", FILE)
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(Stacks.FIXTURE_SAMPLES, all.getInt("samples"));
        assertEquals(Stacks.FIXTURE_SAMPLES, all.getInt("selected"));
        assertEquals(522.557696, all.getDouble("firstSample"), 1e-4); // JsonPath reads floats
        assertEquals(522.779951, all.getDouble("lastSample"), 1e-4);
        assertEquals(522, all.getLong("firstSecond"));
        List<Integer> heatmap = all.getList("heatmap");
        assertEquals(50, heatmap.size());
        assertEquals(
                Stacks.FIXTURE_SAMPLES,
                heatmap.stream().mapToInt(Integer::intValue).sum());
        // 522.557696 s is row 27 of its second (20 ms rows).
        assertTrue(heatmap.get(27) > 0, heatmap.toString());
        List<String> names = all.getList("names");
        assertTrue(names.contains("__GI_____strtoll_l_internal"), "offsets are dropped: " + names);
        assertTrue(names.contains("[/usr/bin/dash]"), "an unknown symbol names its module: " + names);
        List<List<Number>> stacks = all.getList("stacks");
        assertEquals(
                Stacks.FIXTURE_SAMPLES,
                stacks.stream().mapToLong(s -> s.get(0).longValue()).sum());
        // The sample at 522.598131: strcmp@plt is its leaf, so the last frame of its stack, root first.
        assertTrue(
                stacks.stream()
                        .anyMatch(s ->
                                s.size() == 4 && names.get(s.get(3).intValue()).equals("strcmp@plt")),
                stacks.toString());

        JsonPath range = given().queryParam("file", FILE)
                .queryParam("from", 522.55)
                .queryParam("to", 522.6)
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(5, range.getInt("selected"), "the samples at .557, .567, .577, .588 and .598 s");
        assertEquals(Stacks.FIXTURE_SAMPLES, range.getInt("samples"));
        assertEquals(heatmap, range.getList("heatmap"), "the heat map always shows the whole profile");
    }

    @Test
    void refusesPathsOutsideTheFunctionsProfiles() throws IOException {
        Files.writeString(config.stacksDir().resolve("secret.perf"), "x", StandardCharsets.UTF_8);
        for (String file : List.of(
                "../secret.perf",
                "slow/../../secret.perf",
                "/etc/passwd",
                ".hidden.perf",
                "x.txt",
                "other/x.perf",
                "")) {
            given().queryParam("file", file)
                    .when()
                    .get("/v1/profiles/sh/samples")
                    .then()
                    .statusCode(400)
                    .body("error", containsString("file must name a profile"));
        }
        given().queryParam("file", "sh-none.perf")
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(404)
                .body("error", containsString("no profile \"sh-none.perf\""));
        given().queryParam("file", FILE)
                .when()
                .get("/v1/profiles/..%2Fsh/samples")
                .then()
                .statusCode(400);
        given().queryParam("file", FILE)
                .queryParam("from", 2)
                .queryParam("to", 1)
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(400)
                .body("error", containsString("from <= to"));
        Path link = config.stacksDir().resolve("sh/link.perf");
        Files.createSymbolicLink(link, config.stacksDir().resolve("secret.perf"));
        given().queryParam("file", "link.perf")
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(404);
    }
}
