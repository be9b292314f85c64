package ma3c.learner.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.RunDirectory;

/**
 * Where a run's episode log is. Checkpoints are not committed, but every figure's results keep
 * the compressed episode logs of its runs: on a fresh clone, a run shared with a figure already
 * reported (A3C on Pong in Figures 4 and 5) is taken from that figure's results instead of
 * being trained again.
 */
final class KeptRuns {
  /**
   * A kept log counts as a finished run when each of its games has an episode this close to the
   * budget: a run stops at its budget with every thread's episode in progress unlogged.
   */
  static final double FINISHED = 0.99;

  private final Path runsDir;
  private final Path resultsDir;

  KeptRuns(Path runsDir, Path resultsDir) {
    this.runsDir = runsDir;
    this.resultsDir = resultsDir;
  }

  Path runDir(ArmRun run) {
    return runsDir.resolve(run.id());
  }

  /**
   * The run's episode log: its run directory's while it has a checkpoint, else a figure's kept
   * copy, else whatever its run directory has so far; null when there is none.
   */
  Path episodes(ArmRun run) throws IOException {
    Path live = runDir(run).resolve(RunDirectory.EPISODES);
    if (Files.exists(runDir(run).resolve(Checkpoint.FILE))) {
      return live;
    }
    Path kept = kept(run);
    return kept != null ? kept : Files.exists(live) ? live : null;
  }

  /** The first figure's (by name) compressed copy of the run's log, or null. */
  Path kept(ArmRun run) throws IOException {
    if (!Files.isDirectory(resultsDir)) {
      return null;
    }
    try (Stream<Path> figures = Files.list(resultsDir)) {
      return figures.sorted(Comparator.naturalOrder())
          .map(f -> f.resolve("episodes").resolve(run.id() + ".jsonl.gz"))
          .filter(Files::isRegularFile).findFirst().orElse(null);
    }
  }

  /** True when the run has no checkpoint but a kept log that reaches its budget on every game. */
  boolean finishedElsewhere(Manifest manifest, ArmRun run) throws IOException {
    if (Files.exists(runDir(run).resolve(Checkpoint.FILE))) {
      return false;
    }
    Path kept = kept(run);
    if (kept == null) {
      return false;
    }
    EpisodeLog.Curves curves = EpisodeLog.read(kept);
    for (String game : run.games()) {
      List<EpisodeLog.Point> points = curves.games().getOrDefault(game, List.of());
      if (points.isEmpty()
          || points.get(points.size() - 1).frames() < FINISHED * manifest.framesPerGame()) {
        return false;
      }
    }
    return true;
  }
}
