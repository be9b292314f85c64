package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import ma3c.runformat.RunFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless chromium, driven through its chromedriver by
 * Selenium, against fixture run directories made here. Every test ends with no error in the
 * browser's console (failed requests and uncaught exceptions included). The last screenshot
 * lands in target/screenshots/dashboard.png (the README's is a copy of one).
 */
class DashboardBrowserTest {
  /** Debian's packages (.ci/run installs them): Selenium never downloads a browser or a driver. */
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final Map<String, Integer> PONG = Map.of("pong", 8);
  private static final Map<String, Integer> BREAKOUT = Map.of("breakout", 8);
  private static final Map<String, Integer> TWO_GAMES = FixtureRuns.games("pong", "breakout");
  private static final String SINGLE = "a3c-pong-ff-t8-f4M-s1";
  private static final String LIVE = "a3c-breakout-ff-t8-f4M-s1";
  private static final String ARM = "ma3c-2-pong+breakout-ff-t8-f4M";
  private static final String EMPTY = "empty-run";
  private static final String TORN = "torn-run";

  @TempDir
  static Path root;

  private static DashboardServer server;
  private static ChromeDriver browser;
  private static FileChannel liveLockFile;
  private static FileLock liveLock;

  @BeforeAll
  static void start() throws Exception {
    for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(binary))) {
        fail("the browser tests need Debian's chromium and chromium-driver, and " + binary
            + " is missing: apt-get install chromium chromium-driver (as .ci/run does)");
      }
    }
    fixtures();
    server = DashboardServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(root));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--window-size=1500,2000", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    browser = new ChromeDriver(service, options);
  }

  /**
   * A finished single-game run, a running one (its lock held here) whose log the tests grow, an
   * experiment arm of three seeds on two games (one stopped with a checkpoint), a run with nothing
   * logged yet, and one whose two logs end in a torn line.
   */
  private static void fixtures() throws IOException {
    Path single = FixtureRuns.create(root, SINGLE, PONG, 4_000_000, 1);
    FixtureRuns.append(single.resolve(RunFiles.EPISODES), FixtureRuns.episodes(PONG, 0, 4_000_000, 1));
    FixtureRuns.append(single.resolve(RunFiles.METRICS), FixtureRuns.metrics(PONG, 4_000_000, 40_000, 4_000_000, 1));
    Path live = FixtureRuns.create(root, LIVE, BREAKOUT, 4_000_000, 1);
    FixtureRuns.append(live.resolve(RunFiles.EPISODES), FixtureRuns.episodes(BREAKOUT, 0, 2_000_000, 11));
    FixtureRuns.append(live.resolve(RunFiles.METRICS), FixtureRuns.metrics(BREAKOUT, 2_000_000, 40_000, 4_000_000, 11));
    liveLockFile = FileChannel.open(live.resolve(RunFiles.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    liveLock = liveLockFile.lock();
    for (int seed = 1; seed <= 3; seed++) {
      Path run = FixtureRuns.create(root, ARM + "-s" + seed, TWO_GAMES, 4_000_000, seed);
      FixtureRuns.append(run.resolve(RunFiles.EPISODES), FixtureRuns.episodes(TWO_GAMES, 0, 3_000_000 + seed * 200_000, seed));
      FixtureRuns.append(run.resolve(RunFiles.METRICS), FixtureRuns.metrics(TWO_GAMES, 6_000_000, 40_000, 8_000_000, seed));
      if (seed == 2) {
        Files.writeString(run.resolve(RunFiles.CHECKPOINT), "a checkpoint written after the last line: stopped");
      }
    }
    FixtureRuns.create(root, EMPTY, PONG, 4_000_000, 1);
    Path torn = FixtureRuns.create(root, TORN, PONG, 4_000_000, 1);
    FixtureRuns.append(torn.resolve(RunFiles.EPISODES), FixtureRuns.episodes(PONG, 0, 1_000_000, 5));
    FixtureRuns.appendRaw(torn.resolve(RunFiles.EPISODES), "{\"time\":3.1,\"game\":\"pong\",\"thr");
    FixtureRuns.append(torn.resolve(RunFiles.METRICS), FixtureRuns.metrics(PONG, 1_000_000, 40_000, 4_000_000, 5));
    FixtureRuns.appendRaw(torn.resolve(RunFiles.METRICS), "{\"time\":250.0,\"frames\":10400");
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (liveLock != null) {
      liveLock.release();
      liveLockFile.close();
    }
  }

  @AfterEach
  void noConsoleErrors() {
    List<String> errors = consoleErrors();
    assertTrue(errors.isEmpty(), "errors in the browser's console: " + errors);
  }

  private static List<String> consoleErrors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage).collect(Collectors.toList());
  }

  // ---- helpers ----

  /** Opens the page on these runs (none: its default choice), polling fast, after its first poll. */
  private static void open(String... runs) {
    String hash = Arrays.stream(runs).map(r -> URLEncoder.encode(r, StandardCharsets.UTF_8))
        .collect(Collectors.joining(","));
    browser.get(server.url() + "?poll=300" + (runs.length == 0 ? "" : "#runs=" + hash));
    // A new hash alone would not reload the page.
    browser.navigate().refresh();
    waitFor(() -> polls() >= 1, "the page's first poll");
  }

  private static int polls() {
    String n = browser.findElement(By.tagName("body")).getDomAttribute("data-polls");
    return n == null ? 0 : Integer.parseInt(n);
  }

  /** Waits for {@code n} more polls: what the page shows then is what the server had. */
  private static void waitPolls(int n) {
    int target = polls() + n;
    waitFor(() -> polls() >= target, n + " polls");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
    new WebDriverWait(browser, WAIT).withMessage(what).until(d -> condition.getAsBoolean());
  }

  private static List<WebElement> charts(String prefix) {
    return browser.findElements(By.cssSelector("[data-chart^='" + prefix + "']"));
  }

  private static WebElement chart(String id) {
    List<WebElement> found = browser.findElements(By.cssSelector("[data-chart='" + id + "']"));
    assertEquals(1, found.size(), "chart " + id);
    return found.get(0);
  }

  /**
   * Reads the page again if it replaced the element meanwhile (it redraws a chart whose series
   * change, and a table cell whose content changes, between two reads of a test).
   */
  private static <T> T fresh(Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static String chartAttr(String id, String name) {
    return fresh(() -> chart(id).getDomAttribute(name));
  }

  private static int chartInt(String id, String name) {
    return Integer.parseInt(chartAttr(id, name));
  }

  private static String text(By by) {
    return fresh(() -> browser.findElement(by).getText());
  }

  private static String status(String run) {
    return text(By.cssSelector("tr[data-run='" + run + "'] .status"));
  }

  private static String row(String run) {
    return text(By.cssSelector("tr[data-run='" + run + "']"));
  }

  /** Pixels of a chart's canvas that are not background: a drawn chart has thousands. */
  private static long inkOf(String chart) {
    Object n = ((JavascriptExecutor) browser).executeScript(
        "const c = document.querySelector(\"[data-chart='" + chart + "'] canvas\");"
            + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
    return ((Number) n).longValue();
  }

  // ---- tests ----

  @Test
  void theConsoleCheckSeesErrors() {
    open(SINGLE);
    ((JavascriptExecutor) browser).executeScript("console.error('probe of the console check')");
    List<String> errors = consoleErrors();
    assertTrue(errors.stream().anyMatch(m -> m.contains("probe of the console check")), errors.toString());
  }

  @Test
  void thePageListsEveryRunWithItsStatusAndSelectsTheRunningOne() {
    open();
    assertEquals("function", ((JavascriptExecutor) browser).executeScript("return typeof uPlot"));
    List<WebElement> rows = browser.findElements(By.cssSelector("#runs tbody tr"));
    assertEquals(7, rows.size());
    assertEquals("finished", status(SINGLE));
    assertEquals("running", status(LIVE));
    assertEquals("crashed", status(EMPTY));
    assertEquals("stopped", status(ARM + "-s2"));
    assertEquals("live", fresh(() -> browser.findElement(By.id("live")).getDomAttribute("data-state")));
    // No link: the running run is drawn.
    assertTrue(browser.findElement(By.cssSelector("input[data-run='" + LIVE + "']")).isSelected());
    assertEquals(1, charts("return:").size());
    assertEquals(1, chartInt("return:breakout", "data-series"));
    String row = row(LIVE);
    assertTrue(row.contains("a3c FF · breakout ×8"), row);
    assertTrue(row.matches("(?s).*\\d+:\\d\\d:\\d\\d.*"), "an ETA: " + row);
  }

  @Test
  void aRunOfTwoGamesHasOneCurvePerGameAndItsTrainingCharts() {
    open(ARM + "-s1");
    waitFor(() -> charts("return:").size() == 2, "a chart per game");
    for (String game : List.of("pong", "breakout")) {
      assertEquals(1, chartInt("return:" + game, "data-series"), game);
      int points = chartInt("return:" + game, "data-points");
      assertTrue(points > 50, game + ": " + points + " points");
      assertTrue(inkOf("return:" + game) > 1000, game + " drawn");
    }
    assertEquals(2, chartInt("training:policyLoss", "data-series"), "pong and breakout");
    assertEquals(2, chartInt("training:threads", "data-series"));
    assertEquals(1, chartInt("training:learningRate", "data-series"));
    assertEquals(1, chartInt("training:fps", "data-series"));
    assertEquals(7, charts("training:").size());
  }

  @Test
  void curvesGrowAsTheEpisodeLogGrowsAndATornLineWaitsForItsEnd() throws IOException {
    open(LIVE);
    long before = Long.parseLong(chartAttr("return:breakout", "data-last-x"));
    int pointsBefore = chartInt("return:breakout", "data-points");
    assertTrue(before >= 1_990_000 && before <= 2_010_000, "ends at " + before);
    Path log = root.resolve(LIVE).resolve(RunFiles.EPISODES);
    FixtureRuns.append(log, FixtureRuns.episodes(BREAKOUT, 2_000_000, 3_000_000, 12));
    waitFor(() -> Long.parseLong(chartAttr("return:breakout", "data-last-x")) >= 2_990_000,
        "the curve reaches 3M frames");
    assertTrue(chartInt("return:breakout", "data-points") > pointsBefore);
    String line = "{\"time\":900.0,\"game\":\"breakout\",\"thread\":3,\"frames\":3500000,"
        + "\"gameFrames\":3500000,\"episodeReturn\":50.0,\"length\":3000}\n";
    FixtureRuns.appendRaw(log, line.substring(0, 40));
    waitPolls(3);
    long torn = Long.parseLong(chartAttr("return:breakout", "data-last-x"));
    assertTrue(torn < 3_100_000, "a torn line is not drawn: " + torn);
    FixtureRuns.appendRaw(log, line.substring(40));
    waitFor(() -> chartAttr("return:breakout", "data-last-x").equals("3500000"),
        "the completed line is drawn");
  }

  @Test
  void twoRunsCompareInTheSameCharts() {
    open(SINGLE);
    assertEquals(1, chartInt("return:pong", "data-series"));
    fresh(() -> {
      browser.findElement(By.cssSelector("input[data-run='" + ARM + "-s1']")).click();
      return null;
    });
    waitFor(() -> charts("return:").size() == 2 && chartInt("return:pong", "data-series") == 2,
        "both runs in the pong chart");
    String labels = chartAttr("return:pong", "data-labels");
    assertTrue(labels.contains(SINGLE) && labels.contains(ARM + "-s1"), labels);
    assertEquals(1, chartInt("return:breakout", "data-series"), "only one of them plays breakout");
    assertEquals(3, chartInt("training:policyLoss", "data-series"));
    assertTrue(browser.getCurrentUrl().contains(URLEncoder.encode(ARM + "-s1", StandardCharsets.UTF_8)),
        "the selection is in the address: " + browser.getCurrentUrl());
  }

  @Test
  void theSeedsOfAnArmDrawAsABandUnlessAskedNotTo() {
    open(ARM + "-s1", ARM + "-s2", ARM + "-s3");
    waitFor(() -> charts("return:").size() == 2, "a chart per game");
    assertEquals(1, chartInt("return:pong", "data-series"));
    assertEquals("[\"" + ARM + " (3 seeds)\"]", chartAttr("return:pong", "data-labels"));
    long end = Long.parseLong(chartAttr("return:pong", "data-last-x"));
    assertTrue(end >= 3_190_000 && end < 3_300_000, "the band ends with the slowest seed: " + end);
    browser.findElement(By.id("bands")).click();
    waitFor(() -> chartInt("return:pong", "data-series") == 3, "a line per seed");
  }

  @Test
  void anEmptyRunAndATornRunShowWhatTheyHave() {
    open(EMPTY);
    WebElement note = browser.findElement(By.id("no-episodes"));
    assertTrue(note.isDisplayed());
    assertEquals("No episodes yet in the selected runs.", note.getText());
    assertEquals(0, charts("return:").size());
    String empty = row(EMPTY);
    assertTrue(empty.contains("no episodes yet"), empty);
    open(TORN);
    assertEquals(1, chartInt("return:pong", "data-series"));
    assertTrue(chartInt("return:pong", "data-points") > 50);
    assertFalse(browser.findElement(By.id("no-episodes")).isDisplayed());
    assertEquals(7, charts("training:").size(), "the metrics before the torn line");
    String torn = row(TORN);
    assertFalse(torn.contains("unreadable"), "a torn last line is pending, not unreadable: " + torn);
  }

  @Test
  void aDirectoryWithoutRunsSaysSo(@TempDir Path nothing) throws Exception {
    try (DashboardServer empty = DashboardServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(nothing))) {
      browser.get(empty.url() + "?poll=300");
      waitFor(() -> polls() >= 1, "the page's first poll");
      assertEquals(0, browser.findElements(By.cssSelector("#runs tbody tr")).size());
      String none = text(By.id("no-runs"));
      assertTrue(none.startsWith("No run directories in " + nothing.toAbsolutePath()), none);
      assertEquals("Select runs in the table to draw them.", text(By.id("no-episodes")));
      // A run that starts later shows up at the next poll.
      FixtureRuns.create(nothing, "late", PONG, 1000, 1);
      waitFor(() -> browser.findElements(By.cssSelector("tr[data-run='late']")).size() == 1, "the new run");
      browser.get("about:blank");
    }
  }

  /** The README's picture: the run list, the curves (a band over seeds), the first training charts. */
  @Test
  void screenshot() throws IOException {
    browser.manage().window().setSize(new Dimension(1400, 1500));
    open(ARM + "-s1", ARM + "-s2", ARM + "-s3", SINGLE, LIVE);
    waitFor(() -> charts("return:").size() == 2 && charts("training:").size() == 7, "every chart");
    ((JavascriptExecutor) browser).executeScript(
        "const s = document.getElementById('smoothing'); s.value = 0.6;"
            + "s.dispatchEvent(new Event('input'));");
    waitPolls(1);
    Path png = Path.of("target", "screenshots", "dashboard.png");
    Files.createDirectories(png.getParent());
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(png) > 50_000, "a screenshot of the charts: " + Files.size(png) + " bytes");
    browser.manage().window().setSize(new Dimension(1500, 2000));
  }
}
