package ma3c.dashboard;

import java.util.Locale;
import java.util.Map;
import ma3c.runformat.RunConfigSummary;

/**
 * Where a run stands, from its files alone (the dashboard may watch runs of other processes, on
 * another host's volume): running while a learner holds its lock; finished once its latest
 * metrics line is at the budget; stopped (Ctrl-C, SIGTERM: resumable as it is) when its
 * checkpoint is newer than its logs, since a stopping learner checkpoints after its last line;
 * crashed otherwise (killed, or a failure: lines were logged after its last checkpoint).
 */
enum RunStatus {
  RUNNING, FINISHED, STOPPED, CRASHED;

  static RunStatus of(boolean locked, boolean budgetReached, boolean checkpointAfterLogs) {
    if (locked) {
      return RUNNING;
    }
    if (budgetReached) {
      return FINISHED;
    }
    return checkpointAfterLogs ? STOPPED : CRASHED;
  }

  /**
   * Whether the latest metrics line is at the budget: every game at its own budget when the run
   * has one per game, else the total.
   */
  static boolean budgetReached(RunConfigSummary config, MetricsHistory.Latest latest) {
    if (latest == null || config.frameBudget() <= 0) {
      return false;
    }
    if (config.framesPerGame() > 0 && !config.threadsPerGame().isEmpty()) {
      Map<String, MetricsHistory.GameLatest> games = latest.games();
      return config.threadsPerGame().keySet().stream().allMatch(g ->
          games.containsKey(g) && games.get(g).frames() >= config.framesPerGame());
    }
    return latest.frames() >= config.frameBudget();
  }

  /** Frames left to the budget (per game when the run has per-game budgets); 0 when reached. */
  static long framesLeft(RunConfigSummary config, MetricsHistory.Latest latest) {
    long done = latest == null ? 0 : latest.frames();
    if (config.framesPerGame() > 0 && latest != null && !config.threadsPerGame().isEmpty()) {
      long left = 0;
      for (String g : config.threadsPerGame().keySet()) {
        MetricsHistory.GameLatest m = latest.games().get(g);
        left += Math.max(0, config.framesPerGame() - (m == null ? 0 : m.frames()));
      }
      return left;
    }
    return Math.max(0, config.frameBudget() - done);
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
