package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through its chromedriver, both at the paths the packages install
 * (PERFAAS_CHROMIUM and PERFAAS_CHROMEDRIVER elsewhere): Selenium is given both, so it downloads
 * nothing. Without them the browser tests are skipped, loudly; with PERFAAS_REQUIRE_CHROMIUM=true
 * (.ci/run sets it) that is a failure.
 */
final class Chromium {
    static final Path BROWSER = Path.of(System.getenv().getOrDefault("PERFAAS_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("PERFAAS_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {}

    static void assumeInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        boolean required = Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_CHROMIUM"));
        String why = "no " + (Files.isExecutable(BROWSER) ? DRIVER : BROWSER) + ", so the dashboard's browser tests "
                + (required ? "FAIL (PERFAAS_REQUIRE_CHROMIUM=true)" : "are SKIPPED")
                + ": install them (Debian: apt-get install chromium chromium-driver, as .ci/run does)";
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + why + "\n" + "!".repeat(100) + "\n");
        if (required) {
            fail(why);
        }
        Assumptions.assumeTrue(false, why);
    }

    /** A headless browser with a 1280x800 window. */
    static ChromeDriver start(Path log) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: tests run as root in CI, where Chromium's sandbox refuses to start.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,800",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(log.toString()))
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }
}
