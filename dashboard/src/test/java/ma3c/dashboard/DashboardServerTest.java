package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.cli.CommandFailedException;
import ma3c.runformat.RunFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardServerTest {
  @TempDir
  Path root;

  private DashboardServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private static final Map<String, Integer> TWO_GAMES = FixtureRuns.games("pong", "breakout");

  @BeforeEach
  void start() throws Exception {
    for (int seed = 1; seed <= 2; seed++) {
      Path run = FixtureRuns.create(root, "ma3c-2-pong+breakout-ff-t8-f2M-s" + seed, TWO_GAMES, 2_000_000, seed);
      FixtureRuns.append(run.resolve(RunFiles.EPISODES), FixtureRuns.episodes(TWO_GAMES, 0, 1_000_000 * seed, seed));
      FixtureRuns.append(run.resolve(RunFiles.METRICS), FixtureRuns.metrics(TWO_GAMES, 2_000_000 * seed, 40_000, 4_000_000, seed));
    }
    server = DashboardServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(root));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject json(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static String id(int seed) {
    return URLEncoder.encode("ma3c-2-pong+breakout-ff-t8-f2M-s" + seed, StandardCharsets.UTF_8);
  }

  @Test
  void listsTheRunsWithTheirConfigStatusAndProgress() throws Exception {
    JsonArray runs = json("api/runs").getAsJsonArray("runs");
    assertEquals(2, runs.size());
    JsonObject first = runs.get(0).getAsJsonObject();
    assertEquals("ma3c-2-pong+breakout-ff-t8-f2M-s1", first.get("id").getAsString());
    assertEquals("ma3c-2-pong+breakout-ff-t8-f2M", first.get("group").getAsString());
    assertEquals(1, first.get("seed").getAsLong());
    assertEquals("crashed", first.get("status").getAsString());
    assertEquals(2_000_000, first.get("frames").getAsLong());
    assertEquals(4_000_000, first.getAsJsonObject("config").get("frameBudget").getAsLong());
    assertTrue(first.get("etaSeconds").isJsonNull());
    assertEquals("finished", runs.get(1).getAsJsonObject().get("status").getAsString());
  }

  @Test
  void curvesAreDownsampledPerGame() throws Exception {
    JsonObject curves = json("api/runs/" + id(1) + "/curves?points=50");
    JsonObject games = curves.getAsJsonObject("games");
    assertEquals(List.of("pong", "breakout"), List.copyOf(games.keySet()));
    JsonArray pong = games.getAsJsonArray("pong");
    assertTrue(pong.size() > 10 && pong.size() <= 50, pong.size() + " points");
    JsonObject last = pong.get(pong.size() - 1).getAsJsonObject();
    assertTrue(last.get("frames").getAsLong() >= 1_000_000);
    assertEquals(0, curves.get("badLines").getAsLong());
  }

  @Test
  void metricsGiveRunAndPerGameSeriesWithNullForMissingValues() throws Exception {
    JsonObject m = json("api/runs/" + id(1) + "/metrics?points=20");
    int n = m.getAsJsonArray("frames").size();
    assertTrue(n >= 10 && n <= 20, n + " points of 50 lines");
    assertEquals(2_000_000, m.getAsJsonArray("frames").get(n - 1).getAsLong());
    assertEquals(n, m.getAsJsonObject("run").getAsJsonArray("fps").size());
    JsonObject pong = m.getAsJsonObject("games").getAsJsonObject("pong");
    for (String field : MetricsHistory.GAME_FIELDS) {
      assertEquals(n, pong.getAsJsonArray(field).size(), field);
    }
    // A line whose loss is undefined (no update in its interval): null in the JSON.
    Path run = root.resolve("ma3c-2-pong+breakout-ff-t8-f2M-s1");
    FixtureRuns.append(run.resolve(RunFiles.METRICS), List.of("{\"time\":9,\"frames\":2040000,\"fps\":1.0,"
        + "\"games\":{\"pong\":{\"frames\":1020000,\"policyLoss\":null}}}"));
    JsonObject all = json("api/runs/" + id(1) + "/metrics?points=100");
    JsonArray losses = all.getAsJsonObject("games").getAsJsonObject("pong").getAsJsonArray("policyLoss");
    assertTrue(losses.get(losses.size() - 1).isJsonNull());
    assertTrue(losses.get(losses.size() - 2).isJsonPrimitive());
  }

  @Test
  void bandsGroupTheSeedsOfAnArm() throws Exception {
    JsonObject bands = json("api/bands?points=30&runs=" + id(1) + "," + id(2));
    JsonArray groups = bands.getAsJsonArray("groups");
    assertEquals(1, groups.size());
    JsonObject arm = groups.get(0).getAsJsonObject();
    assertEquals("ma3c-2-pong+breakout-ff-t8-f2M", arm.get("group").getAsString());
    JsonObject pong = arm.getAsJsonObject("games").getAsJsonObject("pong");
    assertEquals(2, pong.get("seeds").getAsInt());
    assertEquals(30, pong.getAsJsonArray("mean").size());
    // The band ends where the slower seed (1M frames of each game) ends.
    long end = pong.getAsJsonArray("frames").get(29).getAsLong();
    assertTrue(end >= 1_000_000 && end < 1_010_000, "band ends at " + end);
    assertEquals(0, json("api/bands?runs=" + id(1)).getAsJsonArray("groups").size());
  }

  @Test
  void servesThePageAndUplotFromTheJarOnly() throws Exception {
    HttpResponse<String> page = get("");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"uPlot.iife.min.js\"></script>"));
    assertTrue(page.body().contains("app.js"));
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no CDN");
    HttpResponse<String> uplot = get("uPlot.iife.min.js");
    assertEquals(200, uplot.statusCode());
    assertTrue(uplot.body().contains("uPlot"));
    assertEquals(200, get("uPlot.min.css").statusCode());
    assertEquals(200, get("app.css").statusCode());
    assertEquals("1.6.30", StaticAssets.uplotVersion());
  }

  @Test
  void badRequestsGetAClearError() throws Exception {
    HttpResponse<String> unknown = get("api/runs/nope/curves");
    assertEquals(404, unknown.statusCode());
    assertEquals("no run nope", JsonParser.parseString(unknown.body()).getAsJsonObject().get("error").getAsString());
    assertEquals(400, get("api/runs/" + id(1) + "/curves?points=0").statusCode());
    assertEquals(400, get("api/runs/" + id(1) + "/metrics?points=x").statusCode());
    assertEquals(404, get("../pom.xml").statusCode());
    assertEquals(404, get("META-INF/maven/org.webjars.npm/uplot/pom.properties").statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/runs"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void aPortInUseIsOneClearError() {
    CommandFailedException e = assertThrows(CommandFailedException.class, () -> DashboardServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), List.of(root)));
    assertTrue(e.getMessage().startsWith("cannot serve the dashboard on 127.0.0.1:" + server.port()), e.getMessage());
    assertTrue(e.getMessage().endsWith("choose another port"), e.getMessage());
  }
}
