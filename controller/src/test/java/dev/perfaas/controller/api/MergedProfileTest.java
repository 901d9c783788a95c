package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.profiles.ProfileStore;
import dev.perfaas.flamescope.FlameScopeOracle;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/profiles/{function}/merged: the window profiles stored for windows in a range, every instance's,
 * merged into one set of stacks, as folded text and as JSON; bad ranges refused with a 400 that says why.
 */
@QuarkusTest
class MergedProfileTest {

    /** 2026-11-23T13:19:02Z, the window the first profile is stored for. */
    private static final Instant WINDOW = Instant.ofEpochMilli(1795439942000L);

    private static final Pattern FOLDED_LINE = Pattern.compile("(.+) ([0-9]+)");

    @Inject
    PerfaasConfig config;

    @Inject
    ProfileStore store;

    /**
     * sh-1 (version 1) and sh-2 (version 2, engine perf) in the hour from WINDOW, sh-1 again an hour later
     * (outside it, version 1), and a slow call.
     */
    @BeforeEach
    void upload() throws IOException {
        Stacks.clean(config.stacksDir());
        upload("sh-1", WINDOW, "1", "async");
        upload("sh-2", WINDOW.plusSeconds(60), "2", "perf");
        upload("sh-1", WINDOW.plusSeconds(3600), "1", "async");
        Path slow = Files.createDirectories(config.stacksDir().resolve("sh/slow"));
        Files.write(slow.resolve("sh-sh-1-20261123T131902.perf"), Stacks.fixture());
        store.retention().rescan();
    }

    private static void upload(String instance, Instant window, String version, String engine) {
        given().contentType("text/plain")
                .header("X-Perfaas-Instance", instance)
                .header("X-Perfaas-Version", version)
                .header("X-Perfaas-Engine", engine)
                .header("X-Perfaas-Window", Long.toString(window.toEpochMilli()))
                .body(Stacks.fixture())
                .when()
                .post("/v1/profiles/sh")
                .then()
                .statusCode(201);
    }

    @Test
    void foldedTextHoldsTheStacksOfEveryInstanceInTheRangeOnly() {
        Response r = given().queryParam("from", WINDOW.toString())
                .queryParam("to", WINDOW.plusSeconds(3600).toString())
                .when()
                .get("/v1/profiles/sh/merged");
        r.then().statusCode(200).contentType(containsString("text/plain")).header("X-Perfaas-Profiles", "2");
        Map<String, Long> folded = folded(r.asString());
        // Each window's stacks twice over: sh-1's and sh-2's, not the later window's nor the slow call's.
        Map<String, Long> one = folded(singleProfileAsFolded());
        Map<String, Long> twice = new HashMap<>();
        one.forEach((stack, count) -> twice.put(stack, 2 * count));
        assertEquals(twice, folded);
        long flameScope = FlameScopeOracle.read(Stacks.fixturePath()).flameGraphSamples();
        assertEquals(
                2 * flameScope,
                folded.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(
                folded.keySet().stream().anyMatch(s -> s.endsWith(";strcmp@plt")),
                "stacks root first, leaf last: " + folded.keySet());
    }

    @Test
    void jsonHoldsTheSameStacksAsNamesAndCounts() {
        JsonPath json = given().queryParam("from", WINDOW.toEpochMilli())
                .queryParam("to", WINDOW.plusSeconds(7200).toEpochMilli())
                .queryParam("format", "json")
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(200)
                .body("files", equalTo(3))
                .body("function", equalTo("sh"))
                .body("from", equalTo(WINDOW.toString()))
                .extract()
                .jsonPath();
        assertEquals(3 * Stacks.FIXTURE_SAMPLES, json.getLong("samples"));
        List<List<Number>> stacks = json.getList("stacks");
        assertEquals(
                3L * Stacks.FIXTURE_SAMPLES,
                stacks.stream().mapToLong(s -> s.get(0).longValue()).sum());
        assertTrue(json.getList("names").contains("strcmp@plt"));
    }

    @Test
    void aVersionOrAnEngineKeepsOnlyItsProfilesAndTheRangesVersionsAreCounted() {
        JsonPath v1 = given().queryParam("from", WINDOW.toString())
                .queryParam("to", WINDOW.plusSeconds(7200).toString())
                .queryParam("version", "1")
                .queryParam("format", "json")
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(200)
                .body("files", equalTo(2))
                .body("version", equalTo("1"))
                .body("versions.'1'", equalTo(2))
                .body("versions.'2'", equalTo(1))
                .body("engines.async", equalTo(2))
                .body("engines.perf", equalTo(1))
                .extract()
                .jsonPath();
        assertEquals(2L * Stacks.FIXTURE_SAMPLES, v1.getLong("samples"));
        given().queryParam("from", WINDOW.toString())
                .queryParam("to", WINDOW.plusSeconds(7200).toString())
                .queryParam("engine", "perf")
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(200)
                .header("X-Perfaas-Profiles", "1");
        given().queryParam("version", "3")
                .queryParam("from", WINDOW.toString())
                .queryParam("to", WINDOW.plusSeconds(7200).toString())
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(200)
                .header("X-Perfaas-Profiles", "0");
        given().queryParam("version", "v".repeat(201))
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(400)
                .body("error", containsString("at most 200 characters"));
    }

    @Test
    void aRangeWithoutProfilesIsEmpty() {
        given().queryParam("from", "2020-01-01T00:00:00Z")
                .queryParam("to", "2020-01-01T01:00:00+00:30")
                .when()
                .get("/v1/profiles/sh/merged")
                .then()
                .statusCode(200)
                .header("X-Perfaas-Profiles", "0")
                .body(equalTo(""));
        given().queryParam("format", "json")
                .when()
                .get("/v1/profiles/nothing-stored/merged")
                .then()
                .statusCode(200)
                .body("files", equalTo(0))
                .body("stacks.size()", equalTo(0));
    }

    @Test
    void badRangesAndFormatsAreRefusedWithTheReason() {
        refused("2026-11-23T14:00:00Z", "2026-11-23T13:00:00Z", null, "from must be before to");
        refused("2026-11-23T13:00:00Z", "2026-11-23T13:00:00Z", null, "from must be before to");
        refused("2026-01-01T00:00:00Z", "2026-11-23T13:00:00Z", null, "more than 31 days");
        refused("yesterday", "2026-11-23T13:00:00Z", null, "from must be epoch milliseconds or an ISO-8601 time");
        refused("2026-11-23T13:00:00", "2026-11-23T14:00:00Z", null, "with its offset");
        refused("2026-11-23T13:00:00Z", "99999999999999999999", null, "to must be epoch milliseconds");
        refused("2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z", "svg", "format must be folded");
        given().when().get("/v1/profiles/..%2Fsh/merged").then().statusCode(400);
    }

    private static void refused(String from, String to, String format, String why) {
        var request = given().queryParam("from", from).queryParam("to", to);
        if (format != null) {
            request.queryParam("format", format);
        }
        request.when().get("/v1/profiles/sh/merged").then().statusCode(400).body("error", containsString(why));
    }

    /** The first window's profile alone, through the samples endpoint, as folded stacks. */
    private static String singleProfileAsFolded() {
        JsonPath one = given().queryParam("file", "sh-sh-1-20261123T131902.perf")
                .when()
                .get("/v1/profiles/sh/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> names = one.getList("names");
        StringBuilder text = new StringBuilder();
        for (List<Number> stack : one.<List<Number>>getList("stacks")) {
            for (int i = 1; i < stack.size(); i++) {
                text.append(i > 1 ? ";" : "").append(names.get(stack.get(i).intValue()));
            }
            text.append(' ').append(stack.get(0)).append('\n');
        }
        return text.toString();
    }

    private static Map<String, Long> folded(String text) {
        Map<String, Long> stacks = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = FOLDED_LINE.matcher(line);
            assertTrue(m.matches(), "not a folded line: " + line);
            assertTrue(stacks.put(m.group(1), Long.parseLong(m.group(2))) == null, "a stack twice: " + line);
        }
        return stacks;
    }
}
