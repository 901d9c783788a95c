package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two versions of pi, the second a changed handler ({@link #changedPiSource}: half its time moved
 * from Handler.leibnizPi to Handler.nilakanthaPi), each run under load through the template's run.sh
 * against the real controller jar, one after the other, labelled by PERFAAS_VERSION as a deployment would.
 * The dashboard's flame graph over time, in a real headless Chromium, shows version 2 against version 1
 * over the range of both: nilakanthaPi red (it grew from nothing), leibnizPi blue (its share shrank).
 */
class VersionDiffTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    private static final String PI = "pi";
    /** Samples each version's range holds at least before the load stops. */
    private static final long SAMPLES_PER_VERSION = 300;

    @TempDir
    static Path work;

    static ControllerProcess controller;
    static ChromeDriver browser;
    /** Each version's range: from its start to after its last profile was stored. */
    static Instant v1From;

    static Instant v1To;
    static Instant v2From;
    static Instant v2To;

    @AfterAll
    static void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    @BeforeAll
    static void twoVersionsOfPiOneAfterTheOther() throws Exception {
        Chromium.assumeInstalled();
        controller = ControllerProcess.start(
                PROJECT,
                Http.freePort(),
                work.resolve("stacks"),
                Map.of(
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.policy.window-seconds", "2",
                        "perfaas.policy.refresh-seconds", "1",
                        "perfaas.control.period", "1s"),
                work.resolve("controller.log"));
        // Every invocation traced at first, so that profiles come quickly.
        assertEquals(
                200,
                Http.send(
                                "PUT",
                                controller.url.resolve("/v1/targets/_default"),
                                "{\"maxOverhead\":0.5,\"samplesPerMinute\":6000,\"minFrequencyHz\":99,"
                                        + "\"maxFrequencyHz\":499,\"minFraction\":0.5}")
                        .statusCode());
        Path v1 = FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/pi"), work.resolve("context-v1"));
        Path v2 = FunctionBuild.link(PROJECT, changedPi(work.resolve("pi-v2")), work.resolve("context-v2"));
        v1From = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        run(v1, "pi-v1", "1", v1From);
        v1To = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(1_100); // the next version's windows start after v1To
        v2From = v1To;
        run(v2, "pi-v2", "2", v2From);
        v2To = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        browser = Chromium.start(work.resolve("chromedriver.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (controller != null) {
            controller.close();
        }
    }

    /** One version under load until the profiles stored since {@code from} hold enough samples; stopped (flushed). */
    private static void run(Path context, String instance, String version, Instant from) throws Exception {
        try (FunctionProcess pi = FunctionProcess.start(
                        PI,
                        context,
                        Http.freePort(),
                        controller.url,
                        Map.of("PERFAAS_INSTANCE", instance, "PERFAAS_VERSION", version),
                        work.resolve(instance + ".log"));
                LoadDriver load = new LoadDriver(pi.url.resolve("/?terms=2000000"), 1)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && samples(from, Instant.now().plusSeconds(60)) < SAMPLES_PER_VERSION) {
                Thread.sleep(500);
            }
            assertTrue(
                    samples(from, Instant.now().plusSeconds(60)) >= SAMPLES_PER_VERSION,
                    instance + " after 120 s: " + samples(from, Instant.now().plusSeconds(60)) + " samples stored, "
                            + load.ok.sum() + " invocations; controller log:\n" + controller.logTail());
        }
    }

    @Test
    void theSecondVersionAgainstTheFirstShowsTheChangedFramesRedAndBlue() throws Exception {
        // Through the API: each version's stacks, by its label or by its range; v1 never ran nilakanthaPi.
        String v1 = merged(v1From, v2To, "1");
        assertTrue(v1.contains("Handler.leibnizPi"), v1);
        assertFalse(v1.contains("nilakanthaPi"), v1);
        assertEquals(v1, merged(v1From, v1To, null), "version 1's profiles are those of its range");
        assertTrue(merged(v1From, v2To, "2").contains("Handler.nilakanthaPi"));
        Map<String, Object> both =
                Json.parseObject(Http.get(controller.url.resolve(mergedPath(v1From, v2To, null) + "&format=json"))
                        .body());
        assertEquals(Set.of("1", "2"), ((Map<?, ?>) both.get("versions")).keySet(), both.toString());

        // On the function's page, the link to its flame graph over time; the range of both versions, version 2
        // shown, compared with version 1.
        browser.get(controller.url.resolve("/dashboard/#/function/pi").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("range-link"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("range-form")));
        type(browser.findElement(By.id("range-start")), v1From.toString());
        type(browser.findElement(By.id("range-end")), v2To.toString());
        browser.findElement(By.id("range-show")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//select[@id='range-version']/option[@value='2']")));
        new Select(browser.findElement(By.id("range-version"))).selectByValue("2");
        browser.findElement(By.id("range-show")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("range-found"), "of version 2"));
        new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("base-version")))).selectByValue("1");
        browser.findElement(By.id("base-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flame-summary"), "difference against"));
        shot();

        int[] grew = widestFill("com.openfaas.function.Handler.nilakanthaPi");
        int[] shrank = widestFill("com.openfaas.function.Handler.leibnizPi");
        assertTrue(
                grew[0] == 255 && grew[1] < 200 && grew[2] < 200,
                "nilakanthaPi is red: " + frames("com.openfaas.function.Handler.nilakanthaPi"));
        assertTrue(
                shrank[2] == 255 && shrank[0] < 255 && shrank[1] < 255,
                "leibnizPi is blue: " + frames("com.openfaas.function.Handler.leibnizPi"));
        // The page's numbers are the API's.
        Matcher m = Pattern.compile("^(\\d+) samples in view from (\\d+) profiles.*difference against version 1")
                .matcher(browser.findElement(By.id("flame-summary")).getText());
        assertTrue(m.find(), browser.findElement(By.id("flame-summary")).getText());
        Map<String, Object> v2 =
                Json.parseObject(Http.get(controller.url.resolve(mergedPath(v1From, v2To, "2") + "&format=json"))
                        .body());
        assertEquals(((Number) v2.get("files")).longValue(), Long.parseLong(m.group(2)));
        assertEquals(((Number) v2.get("samples")).longValue(), Long.parseLong(m.group(1)));
    }

    /**
     * The fill as [r, g, b] of the widest frame of that name: a frame can sit on more than one path (a
     * stack cut short, another caller), and a thin path absent from the base is red whatever the frame's
     * main path shows.
     */
    private static int[] widestFill(String frame) {
        WebElement widest = null;
        for (WebElement rect : browser.findElements(By.cssSelector("#flame g.frame[data-name='" + frame + "'] rect"))) {
            if (widest == null || width(rect) > width(widest)) {
                widest = rect;
            }
        }
        assertTrue(widest != null, frame + " is not in the flame graph");
        Matcher m = Pattern.compile("rgb\\((\\d+),(\\d+),(\\d+)\\)").matcher(widest.getAttribute("fill"));
        assertTrue(m.matches(), frame + ": " + widest.getAttribute("fill"));
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    private static double width(WebElement rect) {
        return Double.parseDouble(rect.getAttribute("width"));
    }

    /** Every frame of that name as its description (path share, base share) and fill, for a failure's message. */
    private static List<String> frames(String frame) {
        return browser.findElements(By.cssSelector("#flame g.frame[data-name='" + frame + "']")).stream()
                .map(g -> g.getAttribute("aria-label") + " "
                        + g.findElement(By.tagName("rect")).getAttribute("fill"))
                .toList();
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private static void shot() throws IOException {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('flame').scrollIntoView();");
        Files.write(Path.of("target", "dashboard-version-diff.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static String mergedPath(Instant from, Instant to, String version) {
        return "/v1/profiles/" + PI + "/merged?from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                + "&to=" + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8)
                + (version == null ? "" : "&version=" + version);
    }

    /** The folded text of the range, of one version (null: every version). */
    private static String merged(Instant from, Instant to, String version) throws Exception {
        var r = Http.get(controller.url.resolve(mergedPath(from, to, version)));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static long samples(Instant from, Instant to) throws Exception {
        long n = 0;
        for (String line : merged(from, to, null).split("\n")) {
            if (!line.isEmpty()) {
                n += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    /**
     * examples/pi's handler changed as a new version of a function is: it averages the Leibniz series
     * over half the terms with the Nilakantha series over all of them, so its time moves from
     * {@code leibnizPi} to {@code nilakanthaPi}.
     */
    static String changedPiSource() throws IOException {
        String pi = Files.readString(
                PROJECT.root().resolve("examples/pi/src/main/java/com/openfaas/function/Handler.java"));
        String call = "double pi = leibnizPi(terms);";
        int end = pi.lastIndexOf('}');
        assertTrue(pi.contains(call) && end > 0, "examples/pi's Handler computes pi with " + call);
        return pi.substring(0, end)
                        .replace(call, "double pi = (leibnizPi(Math.max(1, terms / 2)) + nilakanthaPi(terms)) / 2;")
                + """

                    /** pi = 3 + 4/(2*3*4) - 4/(4*5*6) + 4/(6*7*8) - ... */
                    static double nilakanthaPi(long terms) {
                        double sum = 3;
                        for (long k = 1; k < terms; k++) {
                            double n = 2.0 * k;
                            sum += (k % 2 == 1 ? 4.0 : -4.0) / (n * (n + 1) * (n + 2));
                        }
                        return sum;
                    }
                }
                """;
    }

    /**
     * A built handler folder (target/function.jar, target/lib) for the changed pi: its Handler compiled
     * against examples/pi's libraries, which it shares.
     */
    private static Path changedPi(Path dir) throws IOException {
        Path lib = PROJECT.root().resolve("examples/pi/target/lib").toAbsolutePath();
        Path source = Files.writeString(
                Files.createDirectories(dir.resolve("src")).resolve("Handler.java"), changedPiSource());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath;
        try (Stream<Path> jars = Files.list(lib)) {
            classpath = String.join(
                    java.io.File.pathSeparator, jars.map(Path::toString).toList());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(
                null, null, null, "--release", "17", "-cp", classpath, "-d", classes.toString(), source.toString());
        assertEquals(0, exit, "javac " + source);
        Path target = Files.createDirectories(dir.resolve("target"));
        try (OutputStream out = Files.newOutputStream(target.resolve("function.jar"));
                JarOutputStream jar = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path c : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                Files.copy(c, jar);
                jar.closeEntry();
            }
        }
        Files.createSymbolicLink(target.resolve("lib"), lib);
        return dir;
    }
}
