package ma3c.learner.experiment;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import ma3c.env.embed.LocalGames;
import ma3c.env.v1.GameInfo;
import ma3c.learner.evaluate.EvaluationSettings;
import ma3c.learner.experiment.stats.Aggregates;
import ma3c.learner.experiment.stats.Bootstrap;
import ma3c.learner.experiment.stats.Estimates;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.ProgressReporter;
import ma3c.learner.run.Provenance;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;

/**
 * The results of an experiment, laid out like the paper's figures: a panel per game (x = frames
 * of that game, y = mean return of the last 100 episodes, a line per arm: the mean over seeds with
 * its 95% bootstrap band; {@link CurvePictures}), the same on the paper's axis, a markdown table
 * per game and arm with intervals over seeds, the arms against A3C and the paper's claims judged
 * from those intervals ({@link Comparisons}), and the episode logs compressed beside them.
 */
public final class ExperimentReport {
  /** Points of a curve on the common frame grid. */
  static final int GRID = 100;

  /**
   * One arm on one game, seed by seed: each run's score at the grid points against the frames of
   * that game ({@code curves}) and against the frames of all the run's games ({@code
   * paperCurves}, up to {@code paperBudget}). The runs that reached the budget count; while none
   * has, the runs under way do ({@code finished} false), so that a report written mid-run shows
   * their curves, though no score.
   *
   * @param unfinished runs under way left out beside finished ones
   * @param framesReached the fewest frames of the game that any of its runs reached
   */
  record Band(List<double[]> curves, List<double[]> paperCurves, long paperBudget, boolean finished,
      int unfinished, long framesReached) {
    int seeds() {
      return curves.size();
    }

    /** Each run's score at the budget, a seed each; none while the runs are under way. */
    double[] atBudget() {
      return finished ? curves.stream().mapToDouble(c -> c[GRID - 1]).toArray() : new double[0];
    }

    /**
     * Each run's mean over the run: the area under its curve divided by the budget, from its
     * first episode on (the grid points before it have no score); none while under way.
     */
    double[] overRun() {
      return finished ? curves.stream()
          .mapToDouble(c -> Arrays.stream(c).filter(v -> !Double.isNaN(v)).average().orElseThrow())
          .toArray() : new double[0];
    }

    /** The mean over seeds at each grid point; NaN where a seed has no score. */
    double[] meanCurve() {
      double[] mean = new double[GRID];
      for (int i = 0; i < GRID; i++) {
        int at = i;
        mean[i] = curves.stream().mapToDouble(c -> c[at]).sum() / curves.size();
      }
      return mean;
    }
  }

  private final Manifest manifest;
  private final KeptRuns runs;
  private final Path romDir;
  private final Estimates estimates = new Estimates(Bootstrap.standard());
  /**
   * Each kept log read once per report: its tables and curves then come from one snapshot of a
   * log that a run under way is still appending to.
   */
  private final Map<Path, Map<String, List<EpisodeLog.Point>>> logs = new HashMap<>();

  ExperimentReport(Manifest manifest, KeptRuns runs, Path romDir) {
    this.manifest = manifest;
    this.runs = runs;
    this.romDir = romDir;
  }

  /**
   * Keeps each run's episode log in {@code out}/episodes (with its provenance), then writes
   * curves.png, curves-paper-axis.png and results.md from the kept logs; returns results.md.
   */
  public Path write(Path out, String command) throws IOException {
    // Kept first and read back from there: the report made on a fresh clone, from the kept logs
    // alone, is the same report.
    for (ArmRun run : ArmRun.plan(manifest)) {
      runs.keep(run, out.resolve("episodes"));
    }
    Map<String, Map<String, Band>> bands = new LinkedHashMap<>();
    for (String game : manifest.games()) {
      Map<String, Band> arms = new LinkedHashMap<>();
      for (Manifest.Arm arm : manifest.arms()) {
        Band b = band(arm, game);
        if (b != null) {
          arms.put(arm.name(), b);
        }
      }
      bands.put(game, arms);
    }
    new CurvePictures(manifest.framesPerGame(), estimates).write(bands, out);
    Path table = out.resolve("results.md");
    AtomicFiles.writeString(table, markdown(bands, command));
    return table;
  }

  /** The arm's band on {@code game}, or null when none of its runs has an episode of it yet. */
  Band band(Manifest.Arm arm, String game) throws IOException {
    List<double[]> done = new ArrayList<>();
    List<double[]> doneOnPaperAxis = new ArrayList<>();
    List<double[]> underWay = new ArrayList<>();
    List<double[]> underWayOnPaperAxis = new ArrayList<>();
    long paperBudget = 0;
    long reached = Long.MAX_VALUE;
    for (ArmRun run : ArmRun.plan(manifest)) {
      if (!run.arm().equals(arm) || !run.games().contains(game)) {
        continue;
      }
      Path log = runs.episodes(run);
      if (log == null) {
        continue;
      }
      List<EpisodeLog.Point> points = points(log, game);
      if (points.isEmpty()) {
        continue;
      }
      double[] curve = onGrid(points, EpisodeLog.Point::frames, manifest.framesPerGame());
      // The paper's axis: the frames of all the run's games, up to all their budgets.
      paperBudget = run.frameBudget(manifest);
      double[] paper = onGrid(points, EpisodeLog.Point::runFrames, paperBudget);
      boolean finished = !Double.isNaN(curve[GRID - 1]);
      (finished ? done : underWay).add(curve);
      (finished ? doneOnPaperAxis : underWayOnPaperAxis).add(paper);
      reached = Math.min(reached, points.get(points.size() - 1).frames());
    }
    if (done.isEmpty() && underWay.isEmpty()) {
      return null;
    }
    return done.isEmpty()
        ? new Band(underWay, underWayOnPaperAxis, paperBudget, false, underWay.size(), reached)
        : new Band(done, doneOnPaperAxis, paperBudget, true, underWay.size(), reached);
  }

  private List<EpisodeLog.Point> points(Path log, String game) throws IOException {
    Map<String, List<EpisodeLog.Point>> games = logs.get(log);
    if (games == null) {
      games = EpisodeLog.read(log).games();
      logs.put(log, games);
    }
    return games.getOrDefault(game, List.of());
  }

  /** The score at each grid point: the last mean-100 at or before it (NaN before the first, or past the run's end). */
  static double[] onGrid(List<EpisodeLog.Point> points, long budget) {
    return onGrid(points, EpisodeLog.Point::frames, budget);
  }

  /** {@link #onGrid(List, long)} with x = {@code frames} of each point, up to {@code budget}. */
  static double[] onGrid(List<EpisodeLog.Point> points, ToLongFunction<EpisodeLog.Point> frames, long budget) {
    double[] y = new double[GRID];
    int p = 0;
    double last = Double.NaN;
    long end = frames.applyAsLong(points.get(points.size() - 1));
    for (int i = 0; i < GRID; i++) {
      long x = gridFrames(i, budget);
      while (p < points.size() && frames.applyAsLong(points.get(p)) <= x) {
        last = points.get(p++).mean100();
      }
      y[i] = x > end + budget / GRID ? Double.NaN : last;
    }
    return y;
  }

  static long gridFrames(int i, long budget) {
    return budget * (i + 1) / GRID;
  }

  private String markdown(Map<String, Map<String, Band>> bands, String command)
      throws IOException {
    Comparisons comparisons = new Comparisons(manifest, bands, estimates);
    StringBuilder md = new StringBuilder();
    md.append("# ").append(manifest.title()).append("\n\n");
    md.append(String.format(Locale.ROOT, "%s frames per game, actor-learner threads per game: %d, "
        + "%s net, seeds %s. Made by `%s`.%n%n", ArmRun.frames(manifest.framesPerGame()),
        manifest.threadsPerGame(), manifest.lstm() ? "LSTM" : "feed-forward", manifest.seeds(),
        command));
    md.append("![curves](curves.png)\n\n");
    md.append("The same runs on the paper's x-axis (its section 3.4: an MA3C arm's frames are those "
        + "of all its games together, A3C's those of its one game), to set beside its Figures 4 and "
        + "5:\n\n![curves on the paper's axis](" + CurvePictures.PAPER_AXIS + ")\n\n");
    md.append(String.format(Locale.ROOT, "**How to read the tables.** A seed is one training run "
        + "(an A3C arm has one per game); every interval resamples seeds, never episodes. *Seeds*: "
        + "the runs that reached the budget (runs still under way are counted apart, and left out "
        + "of the scores). *Score at the budget*: a run's mean return over its last 100 episodes when it reaches the budget; "
        + "*mean over the run*: the area under that curve divided by the budget. Each is the mean "
        + "over seeds with its 95%% confidence interval in brackets: a percentile bootstrap, %,d "
        + "resamples of the seeds with replacement, seeded, so the same logs give the same numbers. "
        + "Fewer than " + Estimates.MIN_RUNS + " seeds have no interval, the mean alone (from 2, a "
        + "bootstrap interval is only the range of the two). The curves show the same mean and interval "
        + "at each of their %d points (a band from " + Estimates.MIN_RUNS + " seeds on). *Frames to A3C's final score*: the "
        + "first of those points at which the arm's mean curve reaches A3C's mean score at the "
        + "budget. *Against A3C*: the arm's mean score at the budget over A3C's (ratio) and minus "
        + "A3C's (difference), each arm's seeds resampled independently; P(arm > A3C) is the chance "
        + "that a run of the arm scores above a run of A3C, ties counting a half (rliable's "
        + "probability of improvement: the Mann-Whitney U over all pairs of runs, divided by their "
        + "number), its interval resampling both arms' seeds. *Evaluation at the budget*: each run's "
        + "final policy playing %d whole games (`ma3c evaluate`'s protocol, docs/REPRODUCTION.md: up "
        + "to 30 no-op starts, no sticky actions, actions sampled from the policy, the 108,000-frame "
        + "cap), the mean over runs of each run's mean return, the interval over runs; runs kept "
        + "from before evaluation existed have no checkpoint left to play and are counted apart. "
        + "*Each seed*: every run's own score at the budget, its evaluation in parentheses (a run "
        + "under way: the frames of the game it reached), the samples behind each mean.%n",
        estimates.resamples(), GRID, EvaluationSettings.Protocol.DEFAULT_EPISODES));
    md.append(comparisons.claims());
    for (Map.Entry<String, Map<String, Band>> game : bands.entrySet()) {
      md.append("\n## ").append(game.getKey()).append("\n\n");
      md.append("| arm | seeds | score at the budget [95% CI] | mean over the run [95% CI] "
          + "| evaluation at the budget [95% CI] | frames to A3C's final score | frames trained |\n"
          + "|---|---|---|---|---|---|---|\n");
      Band a3c = a3cBand(game.getValue());
      double a3cFinal = a3c == null || !a3c.finished() ? Double.NaN : Aggregates.mean(a3c.atBudget());
      for (Manifest.Arm arm : manifest.arms()) {
        if (!arm.gamesOr(manifest.games()).contains(game.getKey())) {
          continue; // e.g. a transfer experiment's source arm, which never plays the new game
        }
        Band b = game.getValue().get(arm.name());
        if (b == null) {
          md.append("| ").append(arm.name()).append(" | 0 | not run yet | | | | |\n");
          continue;
        }
        String seeds = b.finished() ? b.seeds() + (b.unfinished() > 0 ? " (+" + b.unfinished()
            + " under way)" : "") : "0 (" + b.unfinished() + " under way)";
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", arm.name(), seeds,
            b.finished() ? Cells.estimate(estimates.mean(b.atBudget())) : "-",
            b.finished() ? Cells.estimate(estimates.mean(b.overRun())) : "-",
            evaluation(arm, game.getKey(), b),
            a3c == null ? "-" : framesToReach(b, a3cFinal), ProgressReporter.human(b.framesReached())));
      }
      md.append(seedBySeed(game.getKey()));
      md.append(comparisons.table(game.getKey()));
    }
    md.append(comparisons.overTheFigure());
    md.append(provenance());
    md.append(modelSizes());
    return md.toString();
  }

  /**
   * The arm's evaluation at the budget on {@code game}: the mean over its evaluated runs of each
   * run's mean return, with the interval over those runs, and how many of the finished runs were
   * evaluated when not all (runs kept from before evaluation existed have no checkpoint to play).
   */
  private String evaluation(Manifest.Arm arm, String game, Band band) throws IOException {
    List<Double> means = new ArrayList<>();
    for (ArmRun run : ArmRun.plan(manifest)) {
      Double mean = run.arm().equals(arm) && run.games().contains(game) ? evaluated(run, game) : null;
      if (mean != null) {
        means.add(mean);
      }
    }
    if (means.isEmpty()) {
      return "not evaluated";
    }
    String cell = Cells.estimate(estimates.mean(means.stream().mapToDouble(Double::doubleValue).toArray()));
    return means.size() == band.seeds() ? cell : cell + " (" + means.size() + " of " + band.seeds() + " runs)";
  }

  /** The run's mean return over its evaluation's games of {@code game}; null when not evaluated. */
  private Double evaluated(ArmRun run, String game) throws IOException {
    Path file = runs.evaluation(run);
    if (file == null) {
      return null;
    }
    JsonObject games = JsonParser.parseString(Files.readString(file)).getAsJsonObject()
        .getAsJsonObject("games");
    return games != null && games.has(game)
        ? games.getAsJsonObject(game).getAsJsonObject("summary").get("mean").getAsDouble() : null;
  }

  /**
   * Each seed's score at the budget on {@code game}, with its evaluation: the runs behind each
   * arm's mean, so that a reader sees where the spread comes from (a seed that never left the
   * game's floor beside seeds that learned makes a mean of two modes).
   */
  private String seedBySeed(String game) throws IOException {
    StringBuilder md = new StringBuilder("\n| each seed: score at the budget (evaluation) |");
    manifest.seeds().forEach(seed -> md.append(" seed ").append(seed).append(" |"));
    md.append("\n|---|").append("---|".repeat(manifest.seeds().size())).append("\n");
    for (Manifest.Arm arm : manifest.arms()) {
      if (!arm.gamesOr(manifest.games()).contains(game)) {
        continue;
      }
      md.append("| ").append(arm.name()).append(" |");
      for (long seed : manifest.seeds()) {
        md.append(' ').append(seedCell(arm, game, seed)).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  private String seedCell(Manifest.Arm arm, String game, long seed) throws IOException {
    for (ArmRun run : ArmRun.plan(manifest)) {
      if (!run.arm().equals(arm) || !run.games().contains(game) || run.seed() != seed) {
        continue;
      }
      Path log = runs.episodes(run);
      List<EpisodeLog.Point> points = log == null ? List.of() : points(log, game);
      if (points.isEmpty()) {
        return log == null ? "not run yet" : "under way (no episode yet)";
      }
      double score = onGrid(points, manifest.framesPerGame())[GRID - 1];
      if (Double.isNaN(score)) {
        return "under way (" + ProgressReporter.human(points.get(points.size() - 1).frames()) + ")";
      }
      Double evaluated = evaluated(run, game);
      return Cells.number(score) + (evaluated == null ? "" : " (" + Cells.number(evaluated) + ")");
    }
    return "-"; // not reached: the plan has a run for every arm, seed and game of the arm
  }

  /**
   * Where each run's log came from: the experiment that trained it, its training, builds and
   * content hash, and any other log of the same id that differs, so that a reader can tell one
   * training from another.
   */
  private String provenance() throws IOException {
    StringBuilder md = new StringBuilder("\n## Runs\n\nEach run's kept episode log (episodes/) and where it "
        + "came from (episodes/<run>.provenance.json). A run id names a configuration; trained "
        + "twice it gives two samples, so every log is named by its content hash.\n\n"
        + "| run | trained by | training | builds | episodes | sha256 |\n|---|---|---|---|---|---|\n");
    List<String> notes = new ArrayList<>();
    for (ArmRun run : ArmRun.plan(manifest)) {
      KeptRuns.Source s = runs.source(run);
      if (s == null) {
        md.append("| ").append(run.id()).append(" | not run yet | | | | |\n");
        continue;
      }
      Provenance p = s.provenance();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", run.id(),
          p.trainedBy() == null ? "not recorded" : p.trainedBy(),
          p.training() == null ? "not recorded" : p.training().substring(0, Math.min(8, p.training().length())),
          p.builds() == null || p.builds().isEmpty() ? "not recorded" : String.join(", ", p.builds()),
          p.episodes() == null ? "-" : p.episodes(), KeptRuns.shortHash(p.sha256())));
      if (p.note() != null) {
        notes.add(run.id() + ": " + p.note());
      }
      s.notes().forEach(n -> notes.add(run.id() + ": " + n));
    }
    notes.forEach(n -> md.append("\n- ").append(n));
    return md.append(notes.isEmpty() ? "" : "\n").toString();
  }

  /**
   * What each arm keeps to play every game: A3C one model per game, MA3C one for all (the
   * compression the paper speaks of), counted from the runs' checkpoints (the first seed's). A
   * run whose checkpoint is not kept (a fresh clone has only the episode logs) is counted from
   * its net's layout, with the action counts of its games from the checkpoints that are, else
   * from the ROMs.
   */
  private String modelSizes() throws IOException {
    StringBuilder md = new StringBuilder("\n## Model size\n\n| arm | models | parameters "
        + "| parameters / A3C's |\n|---|---|---|---|\n");
    Map<Manifest.Arm, Long> sizes = new LinkedHashMap<>();
    Map<Manifest.Arm, Integer> models = new LinkedHashMap<>();
    Map<String, Integer> actions = null;
    for (ArmRun run : ArmRun.plan(manifest)) {
      if (run.seed() != manifest.seeds().get(0)) {
        continue;
      }
      Path checkpoint = runs.runDir(run).resolve(Checkpoint.FILE);
      models.merge(run.arm(), 1, Integer::sum);
      if (!Files.exists(checkpoint) && actions == null) {
        actions = actionCounts();
      }
      long n = Files.exists(checkpoint) ? Checkpoint.load(checkpoint).theta().length
          : fromLayout(run, actions);
      sizes.merge(run.arm(), n, (a, b) -> a < 0 || b < 0 ? -1 : a + b);
    }
    Long a3c = sizes.entrySet().stream()
        .filter(e -> Architecture.of(e.getKey().arch()) == Architecture.A3C && e.getValue() > 0)
        .map(Map.Entry::getValue).findFirst().orElse(null);
    sizes.forEach((arm, n) -> md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n",
        arm.name(), models.get(arm), n < 0 ? "unknown (no checkpoint or ROM here to count from)" : String.format(Locale.ROOT, "%,d", n),
        n < 0 || a3c == null ? "-" : String.format(Locale.ROOT, "%.2f", (double) n / a3c))));
    return md.toString();
  }

  /** Parameters of the run's net, or -1 when a game's action count is unknown. */
  private long fromLayout(ArmRun run, Map<String, Integer> actions) {
    Map<String, Integer> games = new LinkedHashMap<>();
    for (String game : run.games()) {
      if (!actions.containsKey(game)) {
        return -1;
      }
      games.put(game, actions.get(game));
    }
    return new ParameterLayout(new NetSpec(Architecture.of(run.arm().arch()), manifest.lstm(), games)).size();
  }

  /**
   * Each game's action count, from the experiment's checkpoints that are here (what the runs
   * trained with), then from the ROM directory for the games no checkpoint covers.
   */
  private Map<String, Integer> actionCounts() throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ArmRun run : ArmRun.plan(manifest)) {
      Path checkpoint = runs.runDir(run).resolve(Checkpoint.FILE);
      if (Files.exists(checkpoint) && !counts.keySet().containsAll(run.games())) {
        Checkpoint.load(checkpoint).meta().actionMeanings().forEach((g, m) -> counts.put(g, m.size()));
      }
    }
    if (!counts.keySet().containsAll(manifest.games())) {
      for (GameInfo game : new LocalGames(romDir).games()) {
        counts.putIfAbsent(game.getName(), game.getMinimalActionMeaningsCount());
      }
    }
    return counts;
  }

  private Band a3cBand(Map<String, Band> arms) {
    for (Manifest.Arm arm : manifest.arms()) {
      if (arm.arch().equalsIgnoreCase("a3c")) {
        return arms.get(arm.name());
      }
    }
    return null;
  }

  /** The first grid point at which the arm's mean curve reaches {@code target}. */
  private String framesToReach(Band b, double target) {
    if (Double.isNaN(target)) {
      return "-";
    }
    double[] mean = b.meanCurve();
    for (int i = 0; i < GRID; i++) {
      if (mean[i] >= target) {
        return ArmRun.frames(gridFrames(i, manifest.framesPerGame()));
      }
    }
    return "not reached";
  }
}
