package dev.perfaas.controller.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.Stacks;
import dev.perfaas.flamescope.FlameScopeOracle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upload of the original write-up, sent by the real curl binary. */
@QuarkusTest
class SeedUploadCurlTest {

    private static final Pattern SAMPLE_LINE = Pattern.compile(" +([0-9.]+): .+?:");

    @TestHTTPResource("/")
    URL root;

    @Inject
    PerfaasConfig config;

    @BeforeEach
    void clean() {
        Stacks.clean(config.stacksDir());
    }

    /** Every profile the test stored opens in FlameScope. */
    @AfterEach
    void flameScopeOpensWhatWasStored() {
        FlameScopeOracle.readAll(config.stacksDir());
    }

    @Test
    void curlDataBinaryUploadIsStoredByteForByteAfterTheHeaderLine() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs /usr/bin/curl");
        Process curl = new ProcessBuilder(
                        "/usr/bin/curl",
                        "-sS",
                        "-X",
                        "POST",
                        root.toString(),
                        "-H",
                        "X-name: fn",
                        "--data-binary",
                        "@" + Stacks.fixturePath())
                .redirectErrorStream(true)
                .start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, curl.exitValue(), output);
        assertTrue(output.contains("\"path\":\"fn/fn-seed-"), output);

        List<String> entries = Stacks.entries(config.stacksDir());
        assertEquals(2, entries.size(), entries.toString());
        assertEquals("fn", entries.get(0));
        Path stored = config.stacksDir().resolve(entries.get(1));
        assertTrue(entries.get(1).matches("fn/fn-seed-\\d{8}T\\d{6}\\.perf"), entries.get(1));
        assertArrayEquals(
                Stacks.storedFixture("fn", "seed"), Files.readAllBytes(stored), "the body after the header line");
        assertTrue(SAMPLE_LINE.matcher(firstNonComment(stored)).find(), "FlameScope would not list the file");
    }

    private static String firstNonComment(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("#"))
                .findFirst()
                .orElseThrow();
    }
}
