package ma3c.learner.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.RunDirectory;

/**
 * Where a run's episode log is. Checkpoints are not committed, but every figure's results keep
 * the compressed episode logs of its runs: on a fresh clone, a run shared with a figure already
 * reported (A3C on Pong in Figures 4 and 5) is taken from that figure's results instead of
 * being trained again, and so is a run of this figure that its own results keep whole.
 */
final class KeptRuns {
  /**
   * A kept log counts as a finished run when each of its games has an episode this close to the
   * budget: a run stops at its budget with every thread's episode in progress unlogged.
   */
  static final double FINISHED = 0.99;

  /** A compressed copy of a run's episode log in a figure's results. */
  record Kept(Path file, String figure, boolean finished) {}

  private final Manifest manifest;
  private final Path runsDir;
  private final Path resultsDir;
  private final Map<String, Kept> best = new HashMap<>();

  KeptRuns(Manifest manifest, Path runsDir, Path resultsDir) {
    this.manifest = manifest;
    this.runsDir = runsDir;
    this.resultsDir = resultsDir;
  }

  Path runDir(ArmRun run) {
    return runsDir.resolve(run.id());
  }

  /**
   * The run's episode log: its run directory's while it has a checkpoint, else the best kept
   * copy, else whatever its run directory has so far; null when there is none.
   */
  Path episodes(ArmRun run) throws IOException {
    Path live = runDir(run).resolve(RunDirectory.EPISODES);
    if (Files.exists(runDir(run).resolve(Checkpoint.FILE))) {
      return live;
    }
    Kept kept = kept(run);
    return kept != null ? kept.file() : Files.exists(live) ? live : null;
  }

  /**
   * The best kept copy of the run's log, or null: a finished one before one that stops short
   * (a report written mid-run), another figure's before this figure's own (which may be a copy
   * of it), then by figure name.
   */
  Kept kept(ArmRun run) throws IOException {
    if (best.containsKey(run.id())) {
      return best.get(run.id());
    }
    List<Kept> copies = new ArrayList<>();
    if (Files.isDirectory(resultsDir)) {
      try (Stream<Path> figures = Files.list(resultsDir)) {
        for (Path figure : figures.sorted().toList()) {
          Path file = figure.resolve("episodes").resolve(run.id() + ".jsonl.gz");
          if (Files.isRegularFile(file)) {
            copies.add(new Kept(file, figure.getFileName().toString(), reachesBudget(file, run)));
          }
        }
      }
    }
    Kept choice = copies.stream()
        .min(Comparator.comparing((Kept k) -> !k.finished())
            .thenComparing(k -> k.figure().equals(manifest.figure())))
        .orElse(null);
    best.put(run.id(), choice);
    return choice;
  }

  /** True when the run has no checkpoint but a kept log that reaches its budget on every game. */
  boolean finishedInResults(ArmRun run) throws IOException {
    if (Files.exists(runDir(run).resolve(Checkpoint.FILE))) {
      return false;
    }
    Kept kept = kept(run);
    return kept != null && kept.finished();
  }

  private boolean reachesBudget(Path log, ArmRun run) throws IOException {
    EpisodeLog.Curves curves = EpisodeLog.read(log);
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
