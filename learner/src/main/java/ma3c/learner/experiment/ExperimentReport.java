package ma3c.learner.experiment;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ma3c.env.session.GameCatalog;
import ma3c.env.v1.GameInfo;
import ma3c.learner.plot.ChartGrid;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.ProgressReporter;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The results of an experiment, laid out like the paper's figures: a panel per game (x = frames
 * of that game, y = mean return of the last 100 episodes, a line per arm with a band from the
 * lowest to the highest seed), a markdown table per game and arm, and the episode logs
 * compressed beside them.
 */
public final class ExperimentReport {
  /** Points of a curve on the common frame grid. */
  static final int GRID = 100;

  /** One arm on one game over the seeds: at each grid point the mean, lowest and highest seed. */
  record Band(double[] mean, double[] low, double[] high, int seeds, long framesReached) {
    double at(int i) {
      return mean[i];
    }

    /** The score at the budget. */
    double last() {
      return mean[GRID - 1];
    }
  }

  private final Manifest manifest;
  private final KeptRuns runs;
  private final Path romDir;

  ExperimentReport(Manifest manifest, KeptRuns runs, Path romDir) {
    this.manifest = manifest;
    this.runs = runs;
    this.romDir = romDir;
  }

  /**
   * Keeps each run's episode log in {@code out}/episodes (with its provenance), then writes
   * curves.png and results.md from the kept logs; returns results.md.
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
    drawCurves(bands, out.resolve("curves.png"));
    Path table = out.resolve("results.md");
    AtomicFiles.writeString(table, markdown(bands, command));
    return table;
  }

  /** The arm's band on {@code game}, or null when none of its runs has an episode of it yet. */
  Band band(Manifest.Arm arm, String game) throws IOException {
    List<double[]> curves = new ArrayList<>();
    long reached = Long.MAX_VALUE;
    for (ArmRun run : ArmRun.plan(manifest)) {
      if (!run.arm().equals(arm) || !run.games().contains(game)) {
        continue;
      }
      Path log = runs.episodes(run);
      if (log == null) {
        continue;
      }
      List<EpisodeLog.Point> points = EpisodeLog.read(log).games().getOrDefault(game, List.of());
      if (points.isEmpty()) {
        continue;
      }
      curves.add(onGrid(points, manifest.framesPerGame()));
      reached = Math.min(reached, points.get(points.size() - 1).frames());
    }
    if (curves.isEmpty()) {
      return null;
    }
    double[] mean = new double[GRID];
    double[] low = new double[GRID];
    double[] high = new double[GRID];
    for (int i = 0; i < GRID; i++) {
      double sum = 0;
      int n = 0;
      low[i] = Double.POSITIVE_INFINITY;
      high[i] = Double.NEGATIVE_INFINITY;
      for (double[] c : curves) {
        if (!Double.isNaN(c[i])) {
          sum += c[i];
          n++;
          low[i] = Math.min(low[i], c[i]);
          high[i] = Math.max(high[i], c[i]);
        }
      }
      mean[i] = n == curves.size() ? sum / n : Double.NaN;
      if (n == 0) {
        low[i] = high[i] = Double.NaN;
      }
    }
    return new Band(mean, low, high, curves.size(), reached);
  }

  /** The score at each grid point: the last mean-100 at or before it (NaN before the first, or past the run's end). */
  static double[] onGrid(List<EpisodeLog.Point> points, long budget) {
    double[] y = new double[GRID];
    int p = 0;
    double last = Double.NaN;
    long end = points.get(points.size() - 1).frames();
    for (int i = 0; i < GRID; i++) {
      long x = gridFrames(i, budget);
      while (p < points.size() && points.get(p).frames() <= x) {
        last = points.get(p++).mean100();
      }
      y[i] = x > end + budget / GRID ? Double.NaN : last;
    }
    return y;
  }

  static long gridFrames(int i, long budget) {
    return budget * (i + 1) / GRID;
  }

  private void drawCurves(Map<String, Map<String, Band>> bands, Path png) throws IOException {
    Color[] palette = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};
    List<JFreeChart> charts = new ArrayList<>();
    for (Map.Entry<String, Map<String, Band>> game : bands.entrySet()) {
      YIntervalSeriesCollection data = new YIntervalSeriesCollection();
      for (Map.Entry<String, Band> arm : game.getValue().entrySet()) {
        YIntervalSeries s = new YIntervalSeries(arm.getKey() + (arm.getValue().seeds() > 1
            ? " (" + arm.getValue().seeds() + " seeds)" : ""), false, false);
        Band b = arm.getValue();
        for (int i = 0; i < GRID; i++) {
          if (!Double.isNaN(b.mean()[i])) {
            s.add(gridFrames(i, manifest.framesPerGame()) / 1e6, b.mean()[i], b.low()[i], b.high()[i]);
          }
        }
        data.addSeries(s);
      }
      DeviationRenderer renderer = new DeviationRenderer(true, false);
      for (int s = 0; s < data.getSeriesCount(); s++) {
        Color c = palette[s % palette.length];
        renderer.setSeriesPaint(s, c);
        renderer.setSeriesFillPaint(s, new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
      }
      charts.add(ChartGrid.panel(game.getKey(), "frames of " + game.getKey() + " (millions)",
          "mean return of the last 100 episodes", data, renderer));
    }
    ChartGrid.write(charts, png);
  }

  private String markdown(Map<String, Map<String, Band>> bands, String command)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(manifest.title()).append("\n\n");
    md.append(String.format(Locale.ROOT, "%s frames per game, actor-learner threads per game: %d, "
        + "%s net, seeds %s. Made by `%s`.%n%n", ArmRun.frames(manifest.framesPerGame()),
        manifest.threadsPerGame(), manifest.lstm() ? "LSTM" : "feed-forward", manifest.seeds(),
        command));
    md.append("![curves](curves.png)\n\n");
    md.append("Score = mean return of the last 100 episodes (with several seeds: their mean, and "
        + "half their range after +-). Mean over the run = the area under the curve divided by "
        + "the budget. Frames to A3C's final score = the first frames of the game at which the "
        + "arm's score reaches the score A3C ends with.\n");
    for (Map.Entry<String, Map<String, Band>> game : bands.entrySet()) {
      md.append("\n## ").append(game.getKey()).append("\n\n");
      md.append("| arm | seeds | score at the budget | best score | mean over the run "
          + "| frames to A3C's final score | frames trained |\n|---|---|---|---|---|---|---|\n");
      Band a3c = a3cBand(game.getValue());
      for (Manifest.Arm arm : manifest.arms()) {
        if (!arm.gamesOr(manifest.games()).contains(game.getKey())) {
          continue; // e.g. a transfer experiment's source arm, which never plays the new game
        }
        Band b = game.getValue().get(arm.name());
        if (b == null) {
          md.append("| ").append(arm.name()).append(" | 0 | not run yet | | | | |\n");
          continue;
        }
        int last = GRID - 1;
        String score = number(b.mean()[last]) + (b.seeds() > 1 && !Double.isNaN(b.mean()[last])
            ? " +- " + number((b.high()[last] - b.low()[last]) / 2) : "");
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", arm.name(),
            b.seeds(), score, number(best(b)), number(meanOver(b)),
            a3c == null ? "-" : framesToReach(b, a3c.last()), ProgressReporter.human(b.framesReached())));
      }
    }
    md.append(provenance());
    md.append(modelSizes());
    return md.toString();
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
      for (GameInfo game : new GameCatalog(romDir).games()) {
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

  private static double best(Band b) {
    double best = Double.NaN;
    for (double v : b.mean()) {
      if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
        best = v;
      }
    }
    return best;
  }

  /** Mean of the curve over the grid from the first episode on; NaN until the runs are finished. */
  private static double meanOver(Band b) {
    if (Double.isNaN(b.last())) {
      return Double.NaN;
    }
    double sum = 0;
    int n = 0;
    for (double v : b.mean()) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return sum / n;
  }

  private String framesToReach(Band b, double target) {
    if (Double.isNaN(target)) {
      return "-";
    }
    for (int i = 0; i < GRID; i++) {
      if (b.at(i) >= target) {
        return ArmRun.frames(gridFrames(i, manifest.framesPerGame()));
      }
    }
    return "not reached";
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
