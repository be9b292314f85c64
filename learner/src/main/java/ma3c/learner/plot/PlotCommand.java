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

  @Option(names = {"-o", "--output"}, defaultValue = "curves.png", description = "PNG to write.")
  Path output;

  @Override
  public Integer call() throws IOException {
    Map<String, XYSeriesCollection> panels = new LinkedHashMap<>();
    for (Path run : runs) {
      Map<String, XYSeries> curves = curves(run);
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

  /** Per game, the running mean of the last 100 returns against frames, named after the run. */
  static Map<String, XYSeries> curves(Path run) throws IOException {
    Path file = run.resolve(RunDirectory.EPISODES);
    EpisodeLog.Curves curves = EpisodeLog.read(file);
    if (curves.warning(file) != null) {
      System.err.println(curves.warning(file));
    }
    Map<String, XYSeries> series = new LinkedHashMap<>();
    curves.games().forEach((game, points) -> {
      XYSeries s = new XYSeries(run.getFileName().toString(), false);
      for (EpisodeLog.Point p : points) {
        s.add(p.frames() / 1e6, p.mean100());
      }
      series.put(game, s);
    });
    return series;
  }
}
