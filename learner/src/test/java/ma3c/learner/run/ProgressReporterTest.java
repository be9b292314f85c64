package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.monitor.LossMeter;
import ma3c.learner.monitor.TrunkProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressReporterTest {
  @Test
  void metricsLinesCarryTrunkHealthClippingAndBlockNorms(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    LossMeter losses = new LossMeter(Map.of("pong", List.of("conv1_w", "v_b"),
        "breakout", List.of("conv1_w", "v_b")));
    losses.add("pong", 5, 1, 2, 3, 50, true, new double[] {40, 30});
    losses.add("pong", 5, 1, 2, 3, 10, false, new double[] {6, 8});
    try (JsonLines metrics = new JsonLines(file); JsonLines episodes = new JsonLines(dir.resolve("e"))) {
      ProgressReporter reporter = new ProgressReporter(A3CConfig.defaults(false, 1000),
          new TrainingCounters(0, 0), new EpisodeStats(List.of("pong", "breakout"), episodes, 0),
          losses, () -> Map.of("pong", new TrunkProbe.Health(0.1, 0.5, 32)), metrics,
          () -> Map.of("pong", 3, "breakout", 5));
      reporter.report();
    }
    JsonObject games = JsonParser.parseString(Files.readAllLines(file).get(0)).getAsJsonObject()
        .getAsJsonObject("games");
    JsonObject pong = games.getAsJsonObject("pong");
    assertEquals(30, pong.get("gradNorm").getAsDouble(), 1e-9);
    assertEquals(0.5, pong.get("clippedFraction").getAsDouble(), 1e-9);
    assertEquals(23, pong.getAsJsonObject("blockGradNorms").get("conv1_w").getAsDouble(), 1e-9);
    assertEquals(0.1, pong.get("liveUnits").getAsDouble(), 1e-9);
    assertEquals(3, pong.get("threads").getAsInt());
    assertEquals(5, games.getAsJsonObject("breakout").get("threads").getAsInt());
    assertEquals(0.5, pong.get("valueSpread").getAsDouble(), 1e-9);
    assertEquals(0.2, pong.get("policyLoss").getAsDouble(), 1e-9, "per step: 2 / 10 steps");
    assertTrue(games.getAsJsonObject("breakout").get("liveUnits").isJsonNull(), "no probe states yet");
    assertTrue(games.getAsJsonObject("breakout").get("policyLoss").isJsonNull(),
        "no updates of breakout: no loss, rather than a 0 that reads as one");
    assertTrue(games.getAsJsonObject("breakout").get("entropy").isJsonNull());
    assertTrue(ProgressReporter.MIN_LIVE_UNITS > 0.1, "this health is one the line warns about");
  }

  /** A game that has met its own budget says so, instead of an entropy of 0 from no updates. */
  @Test
  void aGameAtItsBudgetReadsDone() {
    LossMeter.Means none = new LossMeter.Means(0, 0, 0, 0, 0, Map.of(), 0);
    LossMeter.Means some = new LossMeter.Means(0.1, 0.2, 1.234, 5, 0, Map.of(), 7);
    assertEquals(" | pong 18.63 (1589 ep, done)", ProgressReporter.gameStatus("pong", 18.63, 1589, none, true));
    assertEquals(" | pong - (0 ep, no updates)", ProgressReporter.gameStatus("pong", Double.NaN, 0, none, false));
    assertEquals(" | pong 1.00 (3 ep, H 1.23)", ProgressReporter.gameStatus("pong", 1, 3, some, false));
  }

  @Test
  void progressCountsEachGameUpToItsBudget() {
    assertEquals(1_000, ProgressReporter.budgetDone(1_000, Map.of("pong", 700L, "breakout", 300L), 0),
        "one budget for the run: all its frames");
    assertEquals(1_300, ProgressReporter.budgetDone(1_340, Map.of("pong", 1_040L, "breakout", 300L), 1_000),
        "pong's 40 frames past its budget do not count: never past 100%");
  }
}
