package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.controller.functions.WindowReport;
import dev.perfaas.controller.profiles.ProfileHeader;
import dev.perfaas.flamescope.FlameScopeOracle;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The controller's half of the protocol contract (docs/protocol.md): it reads the golden report the
 * hook writes into exactly the expected record, every golden field landing in a record component and
 * every component having a golden field; it answers exactly the golden policy; it takes the golden
 * requests. The hook's tests check the other half against the same files.
 */
@QuarkusTest
class ProtocolTest {
    /** Surefire runs in the module's folder, controller/. */
    static final Path GOLDEN = Path.of("../docs/protocol");

    @Inject
    ObjectMapper json;

    @Inject
    PerfaasConfig config;

    @Test
    void theGoldenReportReadsIntoExactlyTheExpectedRecord() throws IOException {
        WindowReport expected = new WindowReport(
                "pi",
                "pi-7d9f-12",
                1_795_440_000_000L,
                1_795_440_060_000L,
                "async",
                Map.of("perf", "perf_event_open: Operation not permitted"),
                95_000_000,
                7,
                0.25,
                199,
                1200,
                30,
                2,
                9_000_000_000L,
                31_000_000_000L,
                180_000_000,
                0,
                210_000_000,
                30,
                200_000_000,
                29,
                48_000_000,
                150,
                1500,
                1430,
                new WindowReport.ColdStart(
                        812,
                        43_000_000,
                        640L,
                        "1a9ab660-0b1d-44f5-82d9-79d782b92ff2",
                        "pi-7d9f",
                        "/kubepods/pod1/c0",
                        7L,
                        1_795_439_942_000L),
                List.of(new long[] {1024, 2}, new long[] {4096, 1}),
                false,
                3L,
                240_000_000L,
                230_000_000L,
                List.<long[]>of(new long[] {4096, 1}),
                new WindowReport.Memory(
                        41_000_000L,
                        268_435_456L,
                        52_000_000L,
                        190_000_000L,
                        210_000_000L,
                        536_870_912L,
                        2,
                        List.of(new long[] {120, 64_000}, new long[] {4000, 2_100_000})),
                new WindowReport.Cgroup(412_000_000_000L, 182_000_000, 536_870_912L, 1L),
                new WindowReport.Watchdog(
                        1180,
                        8_800_000_000L,
                        List.of(new long[] {5_000_000, 900}, new long[] {10_000_000, 270}, new long[] {25_000_000, 10
                        })));

        WindowReport read = json.readValue(golden("report.json"), WindowReport.class);

        // long[] has no value equality: compare the trees the two records make.
        assertEquals(json.valueToTree(expected), json.valueToTree(read));
    }

    @Test
    void everyGoldenReportFieldIsAComponentAndEveryComponentAGoldenField() throws IOException {
        List<String> problems = new ArrayList<>();
        compare("", json.readTree(golden("report.json")), WindowReport.class, problems);
        assertEquals(List.of(), problems);
    }

    @Test
    void theAnswerIsExactlyTheGoldenPolicy() throws IOException {
        PolicyResource.Answer answer = new PolicyResource.Answer("pi", 0.25, 199, 60, 10, "async", 7, 250, 1, 3);
        // As trees, both parsed from text: the order of fields is not part of JSON.
        assertEquals(json.readTree(golden("policy.json")), json.readTree(json.writeValueAsString(answer)));
    }

    @Test
    void theGoldenPolicyRequestIsAnsweredWithTheGoldenFields() throws IOException {
        String answer = request("policy.http")
                .get(requestLine("policy.http")[1])
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(fieldNames(json.readTree(golden("policy.json"))), fieldNames(json.readTree(answer)));
    }

    @Test
    void theGoldenReportRequestReachesTheReportCheck() throws IOException {
        // An empty report: refused by the check (400), not by routing (404, 405) or media type (415).
        request("report.http")
                .body("{}")
                .post(requestLine("report.http")[1])
                .then()
                .statusCode(400);
    }

    @Test
    void theGoldenProfileRequestIsStoredUnderItsInstanceAndWindow() throws IOException {
        Stacks.clean(config.stacksDir());
        request("profile.http")
                .body(Stacks.gzip(Stacks.fixture()))
                .post(requestLine("profile.http")[1])
                .then()
                .statusCode(201)
                .body("path", equalTo("pi/pi-pi-7d9f-12-20261123T132000.perf")); // the window: 1795440000000 ms
        Path stored = config.stacksDir().resolve("pi/pi-pi-7d9f-12-20261123T132000.perf");
        assertEquals(
                golden("stored-header.txt"),
                Files.readAllLines(stored).get(0) + "\n",
                "the header line the controller writes from the golden headers");
        assertEquals(
                new ProfileHeader("pi", "pi-7d9f-12", "async", "1.4.2", 199.0, 1_795_439_942_000_000_000L),
                ProfileHeader.read(stored));
        FlameScopeOracle.readAll(config.stacksDir());
    }

    @Test
    void theGoldenSlowCallRequestIsStoredWithItsCall() throws IOException {
        Stacks.clean(config.stacksDir());
        request("slow.http")
                .body(Stacks.gzip(Stacks.fixture()))
                .post(requestLine("slow.http")[1])
                .then()
                .statusCode(201)
                .body("path", equalTo("pi/slow/pi-pi-7d9f-12-20261123T132000.perf"));
        given().when()
                .get("/v1/profiles/pi/slow")
                .then()
                .statusCode(200)
                .body("[0].callId", equalTo("5bf8a2c1-9d3e-4c67-a0b4-1e2f3a4b5c6d"))
                .body("[0].latencyMillis", equalTo(612.5f))
                .body("[0].thresholdMillis", equalTo(250))
                .body("[0].ended", equalTo(true));
        assertEquals(
                new ProfileHeader("pi", "pi-7d9f-12", "stack-walk", "1.4.2", 40.0, 1_795_439_942_000_000_000L),
                ProfileHeader.read(config.stacksDir().resolve("pi/slow/pi-pi-7d9f-12-20261123T132000.perf")));
        FlameScopeOracle.readAll(config.stacksDir());
    }

    /** Names of this node's fields that have no component of the type, and of components without a field. */
    private static void compare(String at, JsonNode node, Class<?> type, List<String> problems) {
        TreeSet<String> components = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.add(c.getName());
            JsonNode field = node.get(c.getName());
            if (field == null) {
                problems.add("no golden field for " + at + c.getName());
            } else if (c.getType().isRecord()) {
                compare(at + c.getName() + ".", field, c.getType(), problems);
            }
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!components.contains(f)) {
                problems.add("no component for golden field " + at + f);
            }
        });
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String golden(String name) throws IOException {
        return Files.readString(GOLDEN.resolve(name));
    }

    /** [method, path with query] */
    private static String[] requestLine(String name) throws IOException {
        return Files.readAllLines(GOLDEN.resolve(name)).get(0).split(" ", 2);
    }

    /** A request with the golden file's headers. */
    private static RequestSpecification request(String name) throws IOException {
        RequestSpecification r = given().urlEncodingEnabled(false);
        Stream<String> headers =
                Files.readAllLines(GOLDEN.resolve(name)).stream().skip(1);
        headers.forEach(h -> {
            String[] nameValue = h.split(": ", 2);
            if (nameValue[0].equalsIgnoreCase("Content-Type")) {
                r.contentType(nameValue[1]);
            } else {
                r.header(nameValue[0], nameValue[1]);
            }
        });
        return r.when();
    }
}
