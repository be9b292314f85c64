package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.monitor.LossMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnerMetricsTest {
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
    assertTrue(m.find(), series + " not in:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void framesReturnsThreadsAndLossesPerGame(@TempDir Path dir) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingCounters counters = new TrainingCounters(0, 0);
    LossMeter losses = new LossMeter(Map.of("pong", List.of("v_b"), "catch", List.of("v_b")));
    try (JsonLines metrics = new JsonLines(dir.resolve("m")); JsonLines log = new JsonLines(dir.resolve("e"))) {
      EpisodeStats episodes = new EpisodeStats(List.of("pong", "catch"), log, 0);
      ProgressReporter progress = new ProgressReporter(A3CConfig.defaults(false, 1000), counters,
          episodes, losses, Map::of, metrics, () -> Map.of("pong", 3, "catch", 1));
      LearnerMetrics.register(registry, List.of("pong", "catch"), counters, episodes,
          () -> Map.of("pong", 3, "catch", 1), progress);
      counters.addFrames("pong", 400);
      counters.addFrames("catch", 100);
      episodes.record("pong", 0, 400, 400, -21, 100);
      episodes.record("pong", 1, 400, 400, -19, 100);
      losses.add("pong", 10, 2, 4, 6, 1, false, new double[] {1});
      progress.report();
    }
    String scrape = registry.scrape();
    assertEquals(500, value(scrape, "learner_frames_total"));
    assertEquals(400, value(scrape, "learner_game_frames_total{game=\"pong\"}"));
    assertEquals(-20, value(scrape, "learner_game_return_mean100{game=\"pong\"}"));
    assertEquals(2, value(scrape, "learner_game_episodes_total{game=\"pong\"}"));
    assertEquals(3, value(scrape, "learner_game_threads{game=\"pong\"}"));
    assertEquals(0.2, value(scrape, "learner_game_loss_policy{game=\"pong\"}"), 1e-9, "per step");
    assertTrue(Double.isNaN(value(scrape, "learner_game_loss_policy{game=\"catch\"}")),
        "no update of catch yet");
  }
}
