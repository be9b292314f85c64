package ma3c.learner.run;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import ma3c.learner.algo.TrainingCounters;
import ma3c.runformat.MetricsRecord;

/**
 * A training run's Prometheus meters: frames and updates (counters: rate() gives frames/s), and
 * per game its frames, mean-100 return, episodes, running threads and the latest interval's
 * losses and entropy (NaN before the first, or over an interval without updates).
 */
public final class LearnerMetrics {
  private LearnerMetrics() {}

  public static void register(MeterRegistry registry, List<String> games,
      TrainingCounters counters, EpisodeStats episodes, Supplier<Map<String, Integer>> threads,
      ProgressReporter progress) {
    FunctionCounter.builder("learner.frames", counters, TrainingCounters::frames)
        .description("Frames trained, all games").register(registry);
    FunctionCounter.builder("learner.updates", counters, TrainingCounters::updates)
        .description("Updates of the shared parameters").register(registry);
    for (String game : games) {
      FunctionCounter.builder("learner.game.frames", counters, c -> c.frames(game))
          .tag("game", game).register(registry);
      FunctionCounter.builder("learner.game.episodes", episodes, e -> e.count(game))
          .tag("game", game).register(registry);
      Gauge.builder("learner.game.return.mean100", episodes, e -> e.mean(game))
          .tag("game", game).description("Mean return of the last 100 episodes").register(registry);
      Gauge.builder("learner.game.threads", threads, t -> t.get().getOrDefault(game, 0))
          .tag("game", game).description("Actor threads the game runs now").register(registry);
      lossGauge(registry, "learner.game.loss.policy", game, progress, MetricsRecord.GameMetrics::policyLoss);
      lossGauge(registry, "learner.game.loss.value", game, progress, MetricsRecord.GameMetrics::valueLoss);
      lossGauge(registry, "learner.game.entropy", game, progress, MetricsRecord.GameMetrics::entropy);
    }
  }

  private static void lossGauge(MeterRegistry registry, String name, String game,
      ProgressReporter progress, Function<MetricsRecord.GameMetrics, Double> term) {
    Gauge.builder(name, progress, p -> {
      MetricsRecord.GameMetrics m = p.latest(game);
      Double v = m == null ? null : term.apply(m);
      return v == null ? Double.NaN : v;
    }).tag("game", game).register(registry);
  }
}
