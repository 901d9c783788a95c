package dev.perfaas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, served by the real controller jar (with a token), fed
 * by two instances of examples/pi served by the template's run.sh and runtime under load. Each page
 * is saved as a screenshot under target/dashboard-*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
    private static final Project PROJECT = new Project(Path.of(".."));
    private static final String TOKEN = "dashboard-test-token";
    private static final String PI = "pi";
    /** Two instances of pi, as two pods of one function: their profiles merge into one tree. */
    private static final List<String> INSTANCES = List.of("pi-1", "pi-2");

    private static final Path SHOTS = Path.of("target");

    @TempDir
    static Path work;

    /** Whatever the tests stored opens in FlameScope. */
    @AfterAll
    static void storedProfilesOpenInFlameScope() {
        StoredProfiles.openInFlameScope(work.resolve("stacks"));
    }

    static ControllerProcess controller;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void controllerFedByPiAndABrowser() throws Exception {
        Chromium.assumeInstalled();
        controller = ControllerProcess.start(
                PROJECT,
                Http.freePort(),
                work.resolve("stacks"),
                Map.of(
                        "perfaas.api-token", TOKEN,
                        "perfaas.data-dir", work.resolve("data").toString(),
                        "perfaas.policy.window-seconds", "2",
                        "perfaas.policy.refresh-seconds", "1",
                        "perfaas.control.period", "1s"),
                work.resolve("controller.log"));
        // A ceiling the loop can work against, and every invocation traced at first so that profiles come quickly;
        // no slow call under load (the machine's hiccups would pass a p99 threshold), one on purpose below.
        HttpResponse<String> put = send(
                "PUT",
                "/v1/targets/_default",
                TOKEN,
                "{\"maxOverhead\":0.5,"
                        + "\"samplesPerMinute\":6000,\"minFrequencyHz\":99,\"maxFrequencyHz\":499,\"minFraction\":0.5,"
                        + "\"slowCallMillis\":3600000}");
        assertEquals(200, put.statusCode(), put.body());
        Path context = FunctionBuild.link(PROJECT, PROJECT.root().resolve("examples/pi"), work.resolve("context-pi"));
        try (FunctionProcess pi = FunctionProcess.start(
                        PI,
                        context,
                        Http.freePort(),
                        controller.url,
                        Map.of("PERFAAS_INSTANCE", INSTANCES.get(0), "PERFAAS_TOKEN", TOKEN),
                        work.resolve("pi-1.log"));
                FunctionProcess pi2 = FunctionProcess.start(
                        PI,
                        context,
                        Http.freePort(),
                        controller.url,
                        Map.of("PERFAAS_INSTANCE", INSTANCES.get(1), "PERFAAS_TOKEN", TOKEN),
                        work.resolve("pi-2.log"));
                LoadDriver load = new LoadDriver(pi.url.resolve("/?terms=2000000"), 1);
                LoadDriver load2 = new LoadDriver(pi2.url.resolve("/?terms=2000000"), 1)) {
            // Until the loop has stepped pi three times with data and each instance has a profile stored.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && !(stepsWithData() >= 3 && eachInstanceHasAProfile())) {
                Thread.sleep(500);
            }
            assertTrue(
                    stepsWithData() >= 3 && eachInstanceHasAProfile(),
                    "after 120 s: " + stepsWithData() + " steps with data, profiles " + profileNames() + ", "
                            + load.ok.sum() + " + " + load2.ok.sum() + " invocations; controller log:\n"
                            + controller.logTail());
            // A slow call: without load, the operator's 50 ms threshold, then calls with 100 times the terms (~300 ms
            // of leibnizPi here) until one is captured. The hook fetches its policy every second: a call sent before
            // it has the threshold could be caught only at its end (outside leibnizPi), so it gets three.
            load.close();
            load2.close();
            put = send(
                    "PUT",
                    "/v1/targets/_default",
                    TOKEN,
                    "{\"maxOverhead\":0.5,\"samplesPerMinute\":6000,"
                            + "\"minFrequencyHz\":99,\"maxFrequencyHz\":499,\"minFraction\":0.5,\"slowCallMillis\":50}");
            assertEquals(200, put.statusCode(), put.body());
            Thread.sleep(3_000);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !slowCallIds().contains("slow-pi")) {
                HttpRequest slow = HttpRequest.newBuilder(pi.url.resolve("/?terms=200000000"))
                        .header("X-Call-Id", "slow-pi")
                        .timeout(Duration.ofSeconds(60))
                        .build();
                assertEquals(
                        200,
                        Http.CLIENT
                                .send(slow, HttpResponse.BodyHandlers.discarding())
                                .statusCode());
                Thread.sleep(1_500); // the hook sends captures with its window's flush, every second
            }
            assertTrue(
                    slowCallIds().contains("slow-pi"),
                    "slow-pi not captured in 60 s: " + slowCallIds() + "; controller log:\n" + controller.logTail());
        } // SIGTERM: each pi flushes its last window and profile
        browser = Chromium.start(work.resolve("chromedriver.log"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
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

    @Test
    @Order(1)
    void theControllersBareAddressLandsOnTheFunctionsPage() {
        browser.get(controller.url.resolve("/").toString());
        WebElement row =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-function='pi']")));
        assertEquals("Functions", browser.findElement(By.tagName("h1")).getText());
        assertTrue(row.getText().contains("Hz"), row.getText());
        assertEquals(controller.url.resolve("/dashboard/").toString(), browser.getCurrentUrl());
    }

    @Test
    @Order(1)
    void theFunctionsPageListsPiInWords() throws Exception {
        open("#/");
        WebElement row =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-function='pi']")));
        String text = row.getText();
        assertFalse(text.contains("null") || text.contains("undefined") || text.contains("NaN"), text);
        assertTrue(text.contains("Hz") && text.contains("ceiling") && text.contains("async"), text);
        shot("functions");
        // Readable on a narrow window: nothing but the tables' own scroll boxes is wider than the window.
        browser.manage().window().setSize(new Dimension(480, 800));
        try {
            assertTrue(
                    (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth + 1;"),
                    "the page scrolls sideways at 480 px");
            shot("functions-narrow");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    @Test
    @Order(2)
    void theFunctionPagePlotsTheControlSteps() throws Exception {
        open("#/function/pi");
        List<WebElement> charts =
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#control-charts figure"), 4));
        for (WebElement chart : charts) {
            assertTrue(Integer.parseInt(chart.getAttribute("data-steps")) >= 3, chart.getAttribute("aria-label"));
            assertEquals(
                    1, chart.findElements(By.cssSelector(".uplot canvas")).size(), "uPlot drew " + chart.getText());
        }
        // The plotted steps are the API's history.
        Object history = ((Map<?, ?>) Http.getJson(controller.url.resolve("/v1/functions/pi"))).get("history");
        assertTrue(Integer.parseInt(charts.get(0).getAttribute("data-steps")) <= ((List<?>) history).size());
        assertTrue(
                browser.findElement(By.id("slow-calls")).getText().contains("slow-pi"),
                browser.findElement(By.id("slow-calls")).getText());
        assertFalse(
                browser.findElements(By.cssSelector("#profiles a.profile-link")).isEmpty());
        shot("function");
    }

    /**
     * A function the node agent reports (its cgroup: 2.5 s of CPU, 40 MiB working set of a 128 MiB
     * limit, one OOM kill) shows them on its page; pi, profiled in process, shows its CPU per invocation
     * and says why it has no cgroup figures.
     */
    @Test
    @Order(2)
    void theFunctionPageShowsCpuMemoryAndOomKills() throws Exception {
        long now = System.currentTimeMillis();
        HttpResponse<String> posted = send(
                "POST",
                "/v1/reports",
                TOKEN,
                "{\"function\":\"go-agent\",\"instance\":\"0123456789ab\",\"windowStartMillis\":" + (now - 10_000)
                        + ",\"windowEndMillis\":" + now + ",\"engine\":\"host-perf\",\"invocations\":100,"
                        + "\"cgroup\":{\"cpuUsageNanos\":2500000000,\"memoryWorkingSetBytes\":41943040,"
                        + "\"memoryLimitBytes\":134217728,\"oomKills\":1}}");
        assertEquals(202, posted.statusCode(), posted.body());
        open("#/function/go-agent");
        String usage = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage")))
                .getText();
        assertTrue(
                usage.contains("2.5 s in all")
                        && usage.contains("40 MiB in 1 live instance, limit 128 MiB")
                        && usage.matches("(?s).*OOM kills\\s+1.*"),
                usage);
        open("#/function/pi");
        usage = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage")))
                .getText();
        assertTrue(
                usage.matches("(?s).*CPU per invocation\\s+[0-9.]+ ms.*")
                        && usage.contains("the in-process hook does not"),
                usage);
        assertFalse(usage.contains("null") || usage.contains("undefined") || usage.contains("NaN"), usage);
    }

    @Test
    @Order(3)
    void aSlowCallOpensAsAFlameGraphOfItsHandler() throws Exception {
        open("#/function/pi");
        wait.until(ExpectedConditions.elementToBeClickable(
                        By.xpath("//table[@id='slow-calls']//tr[td[text()='slow-pi']]//a")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flame g.frame")));
        List<String> names = frameNames();
        assertTrue(
                names.stream().anyMatch(n -> n.contains("Handler.leibnizPi")), "no frame of the handler in " + names);
        shot("slow-call");
    }

    @Test
    @Order(3)
    void aProfileOpensAsAFlameGraphAndAHeatMapRangeChangesIt() throws Exception {
        open("#/function/pi");
        // A window's profile, not the slow call's (one call's stacks, the newest in the list).
        wait.until(ExpectedConditions.elementToBeClickable(
                        By.cssSelector("#profiles a.profile-link:not([href*='slow'])")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flame g.frame")));
        List<String> names = frameNames();
        assertTrue(
                names.stream().anyMatch(n -> n.contains("Handler.leibnizPi")), "no frame of the handler in " + names);
        long whole = samplesInView();
        assertTrue(whole > 1, browser.findElement(By.id("flame-summary")).getText());

        // Search: the handler's frames are matched and their share stated.
        browser.findElement(By.id("flame-search")).sendKeys("leibnizPi");
        assertFalse(browser.findElements(By.cssSelector("#flame g.frame.match")).isEmpty());
        assertTrue(browser.findElement(By.id("flame-summary")).getText().matches(".*matches [0-9.]+ % of them.*"));
        js("const s = document.getElementById('flame-search'); s.value = ''; s.dispatchEvent(new Event('input'));");

        // Keyboard: Enter on the handler's frame zooms into it (it then spans the whole width).
        WebElement handler = browser.findElement(By.cssSelector("#flame g.frame[data-name*='leibnizPi'][tabindex]"));
        js("arguments[0].focus();", handler);
        handler.sendKeys(Keys.ENTER);
        WebElement zoomed = browser.findElement(By.cssSelector("#flame g.frame[data-name*='leibnizPi'] rect"));
        double svgWidth =
                browser.findElement(By.cssSelector("#flame svg")).getSize().getWidth();
        assertTrue(
                Double.parseDouble(zoomed.getAttribute("width")) >= svgWidth - 2,
                "zoomed: " + zoomed.getAttribute("width"));
        browser.findElement(By.id("flame-reset")).click();
        assertEquals(whole, samplesInView());

        // Drag over the 20 ms cell with the most samples: the flame graph shows that range only.
        WebElement canvas = browser.findElement(By.id("heatmap"));
        Map<?, ?> samples = samples(currentFile());
        List<?> heatmap = (List<?>) samples.get("heatmap");
        int first = 0;
        for (int i = 0; i < heatmap.size(); i++) {
            if (((Number) heatmap.get(i)).intValue() > ((Number) heatmap.get(first)).intValue()) {
                first = i;
            }
        }
        // The cell's place in the viewport, once the canvas (and, in its scroll box, the cell's column) is in view:
        // the page may have scrolled to the flame graph, and a long profile's canvas is wider than its box.
        int seconds = heatmap.size() / 50;
        List<?> point = (List<?>) js("""
                const [canvas, column, row, seconds] = arguments;
                const cellW = canvas.width / seconds, cellH = canvas.height / 50;
                canvas.parentElement.scrollLeft = Math.max(0, (column + 0.5) * cellW - canvas.parentElement.clientWidth / 2);
                canvas.scrollIntoView({block: 'center'});
                const r = canvas.getBoundingClientRect();
                return [Math.round(r.left + (column + 0.5) * cellW), Math.round(r.top + (row + 0.5) * cellH)];""", canvas, first / 50, first % 50, seconds);
        new Actions(browser)
                .moveToLocation(((Number) point.get(0)).intValue(), ((Number) point.get(1)).intValue())
                .clickAndHold()
                .moveByOffset(1, 0)
                .release()
                .perform();
        wait.until(ExpectedConditions.textMatches(By.id("range-text"), Pattern.compile("Range: [0-9.]+ s to")));
        long selected = samplesInView();
        assertTrue(selected > 0 && selected < whole, "the range holds " + selected + " of " + whole + " samples");
        assertEquals(((Number) heatmap.get(first)).longValue(), selected, "the selected cell's samples");
        shot("profile");

        // The same with the keyboard: Escape shows the whole profile, Enter the cell under the cursor (which starts
        // on the busiest), Shift+Down stretches the range over the next 20 ms.
        WebElement heat = browser.findElement(By.id("heatmap"));
        js("arguments[0].focus();", heat);
        heat.sendKeys(Keys.ESCAPE);
        wait.until(d -> samplesInView() == whole);
        heat.sendKeys(Keys.ENTER);
        long busiest = ((Number) heatmap.get(first)).longValue();
        wait.until(d -> samplesInView() == busiest);
        if (first + 1 < heatmap.size()) {
            long twoCells = busiest + ((Number) heatmap.get(first + 1)).longValue();
            heat.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_DOWN));
            heat.sendKeys(Keys.ENTER);
            wait.until(d -> samplesInView() == twoCells);
            assertTrue(browser.findElement(By.id("heatmap-cursor")).getText().contains("range from"));
        }

        // Differential view, red/blue: this profile against another whose stacks are all different, a real perf
        // profile of a shell loop uploaded as a hook would (two of pi's own can hold the same single stack).
        HttpResponse<String> upload = Http.CLIENT.send(
                HttpRequest.newBuilder(controller.url.resolve("/v1/profiles/pi"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "text/plain")
                        .header("X-Perfaas-Instance", "shell-loop")
                        .POST(HttpRequest.BodyPublishers.ofFile(
                                PROJECT.root().resolve("controller/src/test/resources/profiles/sh-loop.perf")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, upload.statusCode(), upload.body());
        String base = Path.of(Json.string(Json.parseObject(upload.body()), "path"))
                .getFileName()
                .toString();
        browser.navigate().refresh(); // the page lists the profiles it can compare with as it loads
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flame g.frame")));
        new Select(browser.findElement(By.id("diff-base"))).selectByValue(base);
        browser.findElement(By.id("diff-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flame-summary"), "difference against"));
        String fills = (String)
                js("return [...document.querySelectorAll('#flame rect')].map(r => r.getAttribute('fill')).join(' ');");
        assertTrue(fills.contains("rgb(255,") || fills.contains(",255)"), fills);
        shot("diff");

        // Against a range of the same profile: the busiest cell, typed in; the base is that cell's samples.
        double cellFrom = ((Number) samples.get("firstSecond")).doubleValue() + first / 50 + (first % 50) / 50.0;
        new Select(browser.findElement(By.id("diff-base"))).selectByVisibleText("this profile");
        browser.findElement(By.id("diff-from")).sendKeys(String.format(Locale.ROOT, "%.3f", cellFrom));
        browser.findElement(By.id("diff-to")).sendKeys(String.format(Locale.ROOT, "%.3f", cellFrom + 0.02));
        browser.findElement(By.id("diff-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("flame-summary"), " s (" + ((Number) heatmap.get(first)).longValue() + " samples)"));
        // Every request the pages made went to the controller: nothing from outside.
        String origins = (String)
                js(
                        "return [...new Set(performance.getEntriesByType('resource').map(e => new URL(e.name).origin))].join(' ');");
        assertEquals(controller.url.toString(), origins);
    }

    /**
     * Profiles of pi-1 and pi-2 ticked on the function's page (with the keyboard) open as one flame graph, in which
     * the same code is one node: the handler's lambda in FunctionServer, whatever its hidden class in each JVM.
     */
    @Test
    @Order(3)
    void twoInstancesProfilesMergedShowOneLambdaHandleNode() throws Exception {
        List<String> files = new ArrayList<>();
        for (String instance : INSTANCES) {
            files.add(largestProfileOf(instance));
        }
        long expected = 0;
        for (String file : files) {
            Map<?, ?> samples = samples(file);
            List<String> lambdas = ((List<?>) samples.get("names"))
                    .stream()
                            .map(String::valueOf)
                            .filter(DashboardTest::isLambdaHandle)
                            .toList();
            assertFalse(
                    lambdas.isEmpty(), file + " has no FunctionServer$$Lambda...handle frame: " + samples.get("names"));
            for (Object stack : (List<?>) samples.get("stacks")) {
                expected += ((Number) ((List<?>) stack).get(0)).longValue();
            }
        }
        open("#/function/pi");
        for (String file : files) {
            WebElement pick = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#profiles input.merge-pick[value='" + file + "']")));
            js("arguments[0].focus();", pick);
            pick.sendKeys(Keys.SPACE);
            assertTrue(pick.isSelected(), file);
        }
        WebElement openMerged = browser.findElement(By.id("merge-open"));
        js("arguments[0].focus();", openMerged);
        openMerged.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flame g.frame")));
        assertEquals(2, browser.findElements(By.cssSelector("canvas.heatmap")).size(), "a heat map per profile");
        assertEquals(expected, samplesInView(), "the merged flame graph holds both profiles' samples");
        shot("merged"); // before the assertion below: the page as it was when it fails, too
        List<String> handles =
                frameNames().stream().filter(DashboardTest::isLambdaHandle).toList();
        assertEquals(1, handles.size(), "FunctionServer$$Lambda...handle nodes in the merged flame graph: " + handles);
    }

    private static boolean isLambdaHandle(String frame) {
        return frame.contains("FunctionServer$$Lambda") && frame.endsWith(".handle");
    }

    @Test
    @Order(4)
    void targetsRefuseAWriteWithoutTheTokenAndShowTheApisMessage() throws Exception {
        String before = send("GET", "/v1/targets/_default", null, null).body();
        open("#/targets");
        WebElement maxOverhead = wait.until(d -> {
            WebElement e = d.findElement(By.id("t-maxOverhead"));
            return e.getAttribute("value").isEmpty() ? null : e;
        });
        // Without the token: refused, nothing changes.
        maxOverhead.clear();
        maxOverhead.sendKeys("0.2");
        browser.findElement(By.id("t-save")).click();
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("targets-message")));
        wait.until(ExpectedConditions.textToBePresentInElement(message, "401"));
        assertTrue(message.getText().contains("token"), message.getText());
        assertEquals(before, send("GET", "/v1/targets/_default", null, null).body());
        shot("targets-no-token");

        // With the token, a bad target: the API's own message, and nothing changes.
        browser.findElement(By.id("t-token")).sendKeys(TOKEN);
        maxOverhead.clear();
        maxOverhead.sendKeys("5");
        browser.findElement(By.id("t-save")).click();
        String apiSays = (String) Json.parseObject(send(
                                "PUT",
                                "/v1/targets/_default",
                                TOKEN,
                                "{\"maxOverhead\":5,"
                                        + "\"samplesPerMinute\":6000,\"minFrequencyHz\":99,\"maxFrequencyHz\":499,\"minFraction\":0.5}")
                        .body())
                .get("error");
        assertTrue(apiSays.contains("maxOverhead must be in (0, 0.5]"), apiSays);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("targets-message"), "400"));
        assertTrue(
                browser.findElement(By.id("targets-message")).getText().contains(apiSays),
                browser.findElement(By.id("targets-message")).getText());
        assertEquals(before, send("GET", "/v1/targets/_default", null, null).body());
        shot("targets");

        // A good one is saved.
        maxOverhead.clear();
        maxOverhead.sendKeys("0.2");
        browser.findElement(By.id("t-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("targets-message"), "Saved"));
        assertNotEquals(before, send("GET", "/v1/targets/_default", null, null).body());
        assertEquals(
                0.2,
                Json.number(
                        Json.parseObject(
                                send("GET", "/v1/targets/_default", null, null).body()),
                        "maxOverhead"));
    }

    private static void open(String route) {
        browser.get(controller.url.resolve("/dashboard/" + route).toString());
    }

    private static String currentFile() {
        String hash = (String) js("return location.hash;");
        Matcher m = Pattern.compile("#/profile/pi/(.+)").matcher(hash);
        assertTrue(m.matches(), hash);
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private static List<String> frameNames() {
        return browser.findElements(By.cssSelector("#flame g.frame")).stream()
                .map(e -> e.getAttribute("data-name"))
                .toList();
    }

    private static long samplesInView() {
        Matcher m = Pattern.compile("^(\\d+) samples in view")
                .matcher(browser.findElement(By.id("flame-summary")).getText());
        assertTrue(m.find(), browser.findElement(By.id("flame-summary")).getText());
        return Long.parseLong(m.group(1));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The whole page (up to 2400 px tall), at the window's width. */
    private static void shot(String page) throws Exception {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) js("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(2400, height + 140)));
        try {
            Files.write(SHOTS.resolve("dashboard-" + page + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    @SuppressWarnings("unchecked")
    private static long stepsWithData() throws Exception {
        HttpResponse<String> r = Http.get(controller.url.resolve("/v1/functions/pi"));
        if (r.statusCode() == 404) {
            return 0; // no report yet
        }
        Map<String, Object> d = Json.parseObject(r.body());
        return ((List<Map<String, Object>>) d.getOrDefault("history", List.of()))
                .stream().filter(s -> s.get("overhead") != null).count();
    }

    private static List<?> slowCallIds() throws Exception {
        return ((List<?>) Http.getJson(controller.url.resolve("/v1/profiles/pi/slow")))
                .stream().map(c -> ((Map<?, ?>) c).get("callId")).toList();
    }

    /** The window profiles (not slow calls) stored, as GET /v1/profiles/pi lists them. */
    private static List<Map<?, ?>> windowProfiles() throws Exception {
        return ((List<?>) Http.getJson(controller.url.resolve("/v1/profiles/pi")))
                .stream()
                        .<Map<?, ?>>map(p -> (Map<?, ?>) p)
                        .filter(p -> !Boolean.TRUE.equals(p.get("slow")))
                        .toList();
    }

    private static List<String> profileNames() throws Exception {
        return windowProfiles().stream().map(p -> String.valueOf(p.get("file"))).toList();
    }

    /** ProfileStore names a profile FUNCTION-INSTANCE-TIME.perf. */
    private static boolean isOf(Map<?, ?> profile, String instance) {
        return String.valueOf(profile.get("file")).startsWith(PI + "-" + instance + "-");
    }

    private static boolean eachInstanceHasAProfile() throws Exception {
        List<Map<?, ?>> stored = windowProfiles();
        return INSTANCES.stream().allMatch(i -> stored.stream().anyMatch(p -> isOf(p, i)));
    }

    /** The instance's largest window profile: the last one, flushed at its stop, may hold a few samples only. */
    private static String largestProfileOf(String instance) throws Exception {
        return windowProfiles().stream()
                .filter(p -> isOf(p, instance))
                .max(Comparator.comparingLong(p -> ((Number) p.get("bytes")).longValue()))
                .map(p -> String.valueOf(p.get("file")))
                .orElseThrow(() -> new AssertionError("no profile of " + instance));
    }

    private static Map<?, ?> samples(String file) throws Exception {
        return (Map<?, ?>) Http.getJson(controller.url.resolve(
                "/v1/profiles/pi/samples?file=" + URLEncoder.encode(file, StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(controller.url + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
