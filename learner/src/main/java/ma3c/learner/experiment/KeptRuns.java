package ma3c.learner.experiment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import ma3c.learner.evaluate.Evaluation;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.Provenance;
import ma3c.learner.run.RunDirectory;

/**
 * Which episode log a figure reports for each of its runs. Checkpoints are not committed, but
 * every figure's results keep the compressed episode logs of its runs with their {@link
 * Provenance}. A run id names a configuration, and one id can have been trained more than once
 * (Figure 4's A3C runs and the distillation experiment's teachers): two logs of one id are two
 * samples, so a figure reads its own kept log, or the run directory it trains, and takes another
 * figure's log only for a run it never kept (a run shared between figures: trained once), naming
 * it. Where the logs of one id differ, the report says so. A report never writes over a kept log
 * of another training, except with a training this figure ran itself.
 */
final class KeptRuns {
  /**
   * A kept log counts as a finished run when each of its games has an episode this close to the
   * budget: a run stops at its budget with every thread's episode in progress unlogged.
   */
  static final double FINISHED = 0.99;

  /** Where a report's log of a run is. */
  enum Origin {
    /** The run directory (training, or trained and not kept yet). */
    LIVE,
    /** This figure's kept log. */
    OWN,
    /** Another figure's kept log (a run shared between figures). */
    OTHER
  }

  /**
   * The log a report reads for a run.
   *
   * @param figure the figure that keeps it; null for a run directory
   * @param notes what a reader should know: other logs of the same id that differ
   */
  record Source(Path log, Provenance provenance, Origin origin, String figure, boolean finished,
      List<String> notes) {}

  /** A figure's kept copy of a run's log. */
  private record Kept(Path file, Provenance provenance, String figure, boolean finished) {
    String sha256() throws IOException {
      return provenance != null && provenance.sha256() != null ? provenance.sha256()
          : Provenance.sha256(file);
    }

    boolean sameTraining(Provenance other) throws IOException {
      if (provenance != null && provenance.sameTraining(other)) {
        return true;
      }
      // Trainings recorded before provenance existed: only the content can tell.
      return other != null && other.sha256() != null && other.sha256().equals(sha256());
    }
  }

  private final Manifest manifest;
  private final Path runsDir;
  private final Path resultsDir;
  private final Map<String, Source> sources = new HashMap<>();

  KeptRuns(Manifest manifest, Path runsDir, Path resultsDir) {
    this.manifest = manifest;
    this.runsDir = runsDir;
    this.resultsDir = resultsDir;
  }

  Path runDir(ArmRun run) {
    return runsDir.resolve(run.id());
  }

  /** The log the report reads for the run; null when it has none yet. */
  Path episodes(ArmRun run) throws IOException {
    Source s = source(run);
    return s == null ? null : s.log();
  }

  /** True when the run has no checkpoint but a kept log that reaches its budget on every game. */
  boolean finishedInResults(ArmRun run) throws IOException {
    Source s = source(run);
    return s != null && s.origin() != Origin.LIVE && s.finished();
  }

  /**
   * Where the report takes the run's log from, and what it says about it; null when none. Looked
   * at once per run: make a new KeptRuns after training.
   */
  Source source(ArmRun run) throws IOException {
    if (!sources.containsKey(run.id())) {
      sources.put(run.id(), choose(run));
    }
    return sources.get(run.id());
  }

  private Source choose(ArmRun run) throws IOException {
    Kept own = null;
    List<Kept> others = new ArrayList<>();
    for (Kept k : keptCopies(run)) {
      if (k.figure().equals(manifest.figure())) {
        own = k;
      } else {
        others.add(k);
      }
    }
    Path dir = runDir(run);
    if (Files.exists(dir.resolve(Checkpoint.FILE))) {
      Provenance live = liveProvenance(run);
      // This figure's training, the continuation of its own kept log, or a run it never kept
      // whole: the run directory. Another training of the id does not replace a finished log.
      if (own == null || !own.finished() || own.sameTraining(live)
          || manifest.figure().equals(live.trainedBy())) {
        List<String> notes = new ArrayList<>();
        if (own != null && own.finished() && !own.sameTraining(live)) {
          notes.add("trained again by this figure; replaces its earlier kept log (sha256 "
              + shortHash(own.sha256()) + ")");
        }
        return new Source(dir.resolve(RunDirectory.EPISODES), live, Origin.LIVE, null,
            reachesBudget(dir.resolve(RunDirectory.EPISODES), run), notes);
      }
      Source kept = source(own, Origin.OWN, others);
      kept.notes().add(0, runsDir.relativize(dir) + " in the runs directory holds another training"
          + " of this id" + (live.trainedBy() == null ? "" : " (by " + live.trainedBy() + ")")
          + ", not used: this figure keeps its own finished log");
      return kept;
    }
    if (own != null) {
      if (!own.finished()) {
        // A report written mid-run; another figure may keep the same training whole.
        for (Kept other : others) {
          if (other.finished() && other.provenance() != null && other.provenance().sameTraining(own.provenance())) {
            return source(other, Origin.OTHER, others);
          }
        }
      }
      return source(own, Origin.OWN, others);
    }
    if (!others.isEmpty()) {
      Kept first = others.stream().filter(Kept::finished).findFirst().orElse(others.get(0));
      return source(first, Origin.OTHER, others);
    }
    // A run that has saved no checkpoint yet has nothing a report can keep: it would start over.
    return null;
  }

  /** A kept log as a source, with a note for each other figure's log of the id that differs. */
  private Source source(Kept chosen, Origin origin, List<Kept> others) throws IOException {
    List<String> notes = new ArrayList<>();
    Map<String, List<String>> differing = new LinkedHashMap<>();
    for (Kept other : others) {
      if (other != chosen && !other.sha256().equals(chosen.sha256())) {
        differing.computeIfAbsent(other.sha256(), h -> new ArrayList<>()).add(other.figure());
      }
    }
    differing.forEach((hash, figures) -> notes.add(String.join(", ", figures) + " keeps another"
        + " training of this id (sha256 " + shortHash(hash) + "), a different sample, not used here"));
    Provenance p = chosen.provenance() != null ? chosen.provenance()
        : new Provenance(null, null, null, null, List.of(), null, null, "no provenance recorded");
    return new Source(chosen.file(), p, origin, chosen.figure(), chosen.finished(), notes);
  }

  /**
   * Keeps the run's log in this figure's results ({@code episodes}): the run directory's, or
   * another figure's for a run this figure does not keep yet, each with its provenance. Returns
   * the kept log, which the report then reads; the figure's own kept log stays as it is.
   */
  Path keep(ArmRun run, Path episodes) throws IOException {
    Source s = source(run);
    if (s == null || s.origin() == Origin.OWN) {
      return s == null ? null : s.log();
    }
    Path copy = episodes.resolve(run.id() + ".jsonl.gz");
    if (s.origin() == Origin.OTHER) {
      Files.createDirectories(episodes);
      AtomicFiles.write(copy, out -> Files.copy(s.log(), out));
      Provenance p = s.provenance().run() != null ? s.provenance()
          : new Provenance(run.id(), s.figure(), null, null, List.of(), null, null,
              "copied from " + s.figure() + "'s kept log, which records no provenance");
      p.keptAs(copy).write(Provenance.besideKept(copy));
    } else {
      AtomicFiles.write(copy, raw -> gzip(s.log(), raw));
      s.provenance().keptAs(copy).write(Provenance.besideKept(copy));
    }
    Path evaluation = evaluationBeside(s.log(), run);
    if (evaluation != null) {
      AtomicFiles.write(keptEvaluation(copy), out -> Files.copy(evaluation, out));
    }
    Source kept = new Source(copy, Provenance.read(Provenance.besideKept(copy)), s.origin(),
        manifest.figure(), s.finished(), s.notes());
    sources.put(run.id(), kept);
    return copy;
  }

  /**
   * The run's evaluation at its budget ({@code ma3c evaluate}'s JSON) that goes with the log the
   * report reads: beside a kept log, or in the run directory; null when it was not evaluated.
   */
  Path evaluation(ArmRun run) throws IOException {
    Source s = source(run);
    return s == null ? null : evaluationBeside(s.log(), run);
  }

  private Path evaluationBeside(Path log, ArmRun run) {
    Path file = log.getFileName().toString().endsWith(".gz") ? keptEvaluation(log)
        : runDir(run).resolve(Evaluation.FILE);
    return Files.isRegularFile(file) ? file : null;
  }

  /** {@code <id>.evaluation.json} beside the kept log {@code <id>.jsonl.gz}. */
  private static Path keptEvaluation(Path keptLog) {
    String name = keptLog.getFileName().toString();
    return keptLog.resolveSibling(name.substring(0, name.indexOf(".jsonl")) + ".evaluation.json");
  }

  private static void gzip(Path log, OutputStream raw) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(raw);
    Files.copy(log, gz);
    gz.finish(); // not close(): AtomicFiles syncs the file after this
  }

  /** The run directory's provenance; a record saying so when it has none. */
  private Provenance liveProvenance(ArmRun run) throws IOException {
    Provenance p = Provenance.read(runDir(run).resolve(Provenance.RUN_FILE));
    return p != null ? p : new Provenance(run.id(), null, null, null, List.of(), null, null,
        "trained where no provenance was recorded");
  }

  /** Every figure's kept copy of the run's log, by figure name. */
  private List<Kept> keptCopies(ArmRun run) throws IOException {
    List<Kept> copies = new ArrayList<>();
    if (Files.isDirectory(resultsDir)) {
      try (Stream<Path> figures = Files.list(resultsDir)) {
        for (Path figure : figures.sorted().toList()) {
          Path file = figure.resolve("episodes").resolve(run.id() + ".jsonl.gz");
          if (Files.isRegularFile(file)) {
            copies.add(new Kept(file, Provenance.read(Provenance.besideKept(file)),
                figure.getFileName().toString(), reachesBudget(file, run)));
          }
        }
      }
    }
    return copies;
  }

  private boolean reachesBudget(Path log, ArmRun run) throws IOException {
    if (!Files.exists(log)) {
      return false;
    }
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

  static String shortHash(String sha256) {
    return sha256 == null ? "-" : sha256.substring(0, Math.min(12, sha256.length()));
  }
}
