package ma3c.learner.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.monitor.LossMeter;
import ma3c.learner.monitor.TrunkProbe;
import ma3c.runformat.MetricsRecord;
import ma3c.runformat.MetricsRecord.GameMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds: one human-readable progress line (per game mean of the last 100 returns,
 * frames of the budget, frames/s, ETA; trunk-health warnings when the trunk goes bad) and one
 * machine-readable line of metrics.jsonl (a {@link MetricsRecord}).
 */
public final class ProgressReporter {
  private static final Logger log = LoggerFactory.getLogger("progress");

  /** Below these the trunk is reported as unhealthy in the progress line. */
  static final double MIN_LIVE_UNITS = 0.25;
  static final double MIN_VALUE_SPREAD = 0.01;
  static final double MAX_CLIPPED_FRACTION = 0.5;

  private final A3CConfig config;
  private final TrainingCounters counters;
  private final EpisodeStats episodes;
  private final LossMeter losses;
  private final Supplier<Map<String, TrunkProbe.Health>> health;
  private final JsonLines metrics;
  private final Supplier<Map<String, Integer>> threads;
  private long lastFrames;
  private double lastTime;
  private volatile Map<String, GameMetrics> latest = Map.of();

  public ProgressReporter(A3CConfig config, TrainingCounters counters, EpisodeStats episodes,
      LossMeter losses, Supplier<Map<String, TrunkProbe.Health>> health, JsonLines metrics,
      Supplier<Map<String, Integer>> threads) {
    this.config = config;
    this.counters = counters;
    this.episodes = episodes;
    this.losses = losses;
    this.health = health;
    this.metrics = metrics;
    this.threads = threads;
    this.lastFrames = counters.frames();
    this.lastTime = episodes.elapsedSeconds();
  }

  public synchronized void report() {
    double now = episodes.elapsedSeconds();
    long frames = counters.frames();
    double fps = (frames - lastFrames) / Math.max(1e-9, now - lastTime);
    lastFrames = frames;
    lastTime = now;
    Map<String, GameMetrics> games = new LinkedHashMap<>();
    Map<String, Integer> running = threads.get();
    long done = budgetDone(frames, counters.framesPerGame(running.keySet()),
        config.budget().framesPerGame());
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "frames %s/%s (%.1f%%) | %,.0f fps | ETA %s", human(frames), human(config.budget().frames()),
        100.0 * done / config.budget().frames(), fps, eta(config.budget().frames() - done, fps)));
    Map<String, TrunkProbe.Health> trunk = health.get();
    StringBuilder warnings = new StringBuilder();
    losses.drain().forEach((game, m) -> {
      double mean = episodes.mean(game);
      long count = episodes.count(game);
      TrunkProbe.Health h = trunk.get(game);
      boolean updated = m.updates() > 0;
      games.put(game, new GameMetrics(counters.frames(game), mean, count,
          updated ? m.policyLoss() : null, updated ? m.valueLoss() : null,
          updated ? m.entropy() : null, updated ? m.gradNorm() : null,
          updated ? m.clippedFraction() : null, updated ? m.blockGradNorms() : null,
          h == null ? null : h.liveUnits(), h == null ? null : h.valueSpread(), m.updates(),
          running.getOrDefault(game, 0)));
      line.append(gameStatus(game, mean, count, m, config.budgetReached(counters, game)));
      if (h != null && (h.liveUnits() < MIN_LIVE_UNITS || h.valueSpread() < MIN_VALUE_SPREAD)) {
        warnings.append(String.format(Locale.ROOT, " | %s trunk: %.0f%% fc units live, V range %.3f",
            game, 100 * h.liveUnits(), h.valueSpread()));
      }
      if (m.updates() > 0 && m.clippedFraction() > MAX_CLIPPED_FRACTION) {
        warnings.append(String.format(Locale.ROOT, " | %s: %.0f%% of updates clipped", game,
            100 * m.clippedFraction()));
      }
    });
    if (warnings.length() > 0) {
      line.append(" | WARNING").append(warnings);
    }
    latest = Map.copyOf(games);
    log.info(line.toString());
    metrics.write(new MetricsRecord(now, frames, fps, counters.updates(), config.learningRateAt(frames), games));
  }

  /** The game's metrics of the last report, or null before the first. */
  public GameMetrics latest(String game) {
    return latest.get(game);
  }

  /**
   * Frames toward the budget: with a budget per game ({@code perGame} > 0), each game's counted
   * up to it (its threads stop there, but rollouts under way when it was met still add frames).
   */
  static long budgetDone(long frames, Map<String, Long> gameFrames, long perGame) {
    if (perGame <= 0) {
      return frames;
    }
    return gameFrames.values().stream().mapToLong(f -> Math.min(f, perGame)).sum();
  }

  /**
   * A game's part of the progress line: its mean-100 score, episodes, and the policy's entropy
   * over the interval, or "done" once its threads have met the budget ("no updates" otherwise
   * when it had none: its threads wait for the env service).
   */
  static String gameStatus(String game, double mean, long count, LossMeter.Means m, boolean done) {
    String state = done ? "done" : m.updates() == 0 ? "no updates"
        : String.format(Locale.ROOT, "H %.2f", m.entropy());
    return String.format(Locale.ROOT, " | %s %s (%d ep, %s)", game,
        Double.isNaN(mean) ? "-" : String.format(Locale.ROOT, "%.2f", mean), count, state);
  }

  /** 12.34M, 45.6k: frames as the progress line and the experiment results show them. */
  public static String human(long frames) {
    if (frames >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2fM", frames / 1e6);
    }
    return String.format(Locale.ROOT, "%.1fk", frames / 1e3);
  }

  /** h:mm:ss to train {@code framesLeft} at {@code fps}; "-" when unknown or done. */
  public static String eta(long framesLeft, double fps) {
    if (fps <= 0 || framesLeft <= 0) {
      return "-";
    }
    Duration d = Duration.ofSeconds((long) (framesLeft / fps));
    return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
