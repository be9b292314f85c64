package ma3c.learner.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.EpisodeLog;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.RunDirectory;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
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
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Draw training curves (return vs frames, a panel per game) from run directories.")
public final class PlotCommand implements Callable<Integer> {
  private static final int PANEL_WIDTH = 640;
  private static final int PANEL_HEIGHT = 420;

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
    int columns = Math.min(3, panels.size());
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    int i = 0;
    for (Map.Entry<String, XYSeriesCollection> panel : panels.entrySet()) {
      JFreeChart chart = ChartFactory.createXYLineChart(panel.getKey(), "frames of that game (millions)",
          "mean return of last " + EpisodeStats.WINDOW + " episodes", panel.getValue(),
          PlotOrientation.VERTICAL, true, false, false);
      XYPlot plot = chart.getXYPlot();
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
      for (int s = 0; s < panel.getValue().getSeriesCount(); s++) {
        renderer.setSeriesStroke(s, new BasicStroke(2f));
      }
      plot.setRenderer(renderer);
      plot.setBackgroundPaint(Color.WHITE);
      plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      chart.draw(g, new Rectangle2D.Double((i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT,
          PANEL_WIDTH, PANEL_HEIGHT));
      i++;
    }
    g.dispose();
    AtomicFiles.write(output, out -> ImageIO.write(image, "png", out));
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
