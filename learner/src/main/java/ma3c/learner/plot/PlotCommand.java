package ma3c.learner.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ma3c.cli.ProjectVersion;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.RunDirectory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Training curves like Figure 4 of the paper: mean return of the last 100 episodes against the
 * frames of that game (so a multi-task run and single-game runs line up at equal frames per
 * game; logs written before per-game frames were recorded fall back to the run's total), one
 * panel per game, every run overlaid in each panel. Drawn with JFreeChart.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Draw training curves (return vs frames, a panel per game) from run directories.")
public final class PlotCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", description = "Run directories (each with episodes.jsonl).")
  List<Path> runs;

  @Option(names = {"-o", "--output"}, defaultValue = "curves.png",
      description = "PNG to write. Default: ${DEFAULT-VALUE} (in the current directory).")
  Path output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<Path> paths = runs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    for (Path path : paths) {
      if (paths.indexOf(path) != paths.lastIndexOf(path)) {
        throw new CommandLine.ParameterException(spec.commandLine(), path + " is given twice");
      }
    }
    List<String> names = names(paths);
    Map<String, XYSeriesCollection> panels = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      Map<String, XYSeries> curves = curves(runs.get(i), names.get(i));
      curves.forEach((game, series) ->
          panels.computeIfAbsent(game, g -> new XYSeriesCollection()).addSeries(series));
    }
    if (panels.isEmpty()) {
      System.err.println("no episodes in " + runs);
      return 1;
    }
    List<JFreeChart> charts = new ArrayList<>();
    panels.forEach((game, data) -> charts.add(ChartGrid.panel(game, "frames of that game (millions)",
        "mean return of last " + EpisodeStats.WINDOW + " episodes", data,
        new XYLineAndShapeRenderer(true, false))));
    ChartGrid.write(charts, output);
    System.out.println("wrote " + output.toAbsolutePath() + " (" + panels.keySet() + ")");
    return 0;
  }

  /**
   * The runs' names in the legend (a chart's series need distinct names): each run's shortest
   * path suffix that no other run ends with, e.g. a/run and b/run for /x/a/run and /x/b/run.
   *
   * @param paths absolute, normalized and distinct
   */
  static List<String> names(List<Path> paths) {
    List<String> names = new ArrayList<>();
    for (Path path : paths) {
      String name = path.toString(); // the whole path when it ends another run's
      for (int k = 1; k <= path.getNameCount(); k++) {
        Path suffix = path.subpath(path.getNameCount() - k, path.getNameCount());
        if (paths.stream().filter(p -> p.endsWith(suffix)).count() == 1) {
          name = suffix.toString();
          break;
        }
      }
      names.add(name);
    }
    return names;
  }

  /** Per game, the running mean of the last 100 returns against frames, named {@code name}. */
  static Map<String, XYSeries> curves(Path run, String name) throws IOException {
    Path file = run.resolve(RunDirectory.EPISODES);
    EpisodeLog.Curves curves = EpisodeLog.read(file);
    if (curves.warning(file) != null) {
      System.err.println(curves.warning(file));
    }
    Map<String, XYSeries> series = new LinkedHashMap<>();
    curves.games().forEach((game, points) -> {
      XYSeries s = new XYSeries(name, false);
      for (EpisodeLog.Point p : points) {
        s.add(p.frames() / 1e6, p.mean100());
      }
      series.put(game, s);
    });
    return series;
  }
}
