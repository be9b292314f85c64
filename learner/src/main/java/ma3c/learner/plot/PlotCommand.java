package ma3c.learner.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.Json;
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
 * Training curves like Figure 4 of the paper: mean return of the last 100 episodes against
 * frames, one panel per game, every run overlaid in each panel. Drawn with JFreeChart.
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
      JFreeChart chart = ChartFactory.createXYLineChart(panel.getKey(), "frames (millions)",
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
    Map<String, XYSeries> series = new LinkedHashMap<>();
    Map<String, Deque<Double>> windows = new LinkedHashMap<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    Path file = run.resolve("episodes.jsonl");
    if (!Files.exists(file)) {
      throw new IOException(run + " has no episodes.jsonl");
    }
    int lineNumber = 0;
    List<Integer> bad = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        EpisodeStats.Episode e = parse(line);
        if (e == null) {
          bad.add(lineNumber);
          continue;
        }
        Deque<Double> window = windows.computeIfAbsent(e.game(), k -> new ArrayDeque<>());
        double sum = sums.getOrDefault(e.game(), 0.0) + e.episodeReturn();
        window.addLast(e.episodeReturn());
        if (window.size() > EpisodeStats.WINDOW) {
          sum -= window.removeFirst();
        }
        sums.put(e.game(), sum);
        series.computeIfAbsent(e.game(), g -> new XYSeries(run.getFileName().toString(), false))
            .add(e.frames() / 1e6, sum / window.size());
      }
    }
    if (!bad.isEmpty()) {
      // A torn last line (a killed run, a full disk) or an edited file: skip, say where.
      System.err.println(file + ": skipped " + bad.size() + " unreadable line(s): "
          + bad.subList(0, Math.min(10, bad.size())) + (bad.size() > 10 ? " ..." : ""));
    }
    return series;
  }

  private static EpisodeStats.Episode parse(String line) {
    try {
      EpisodeStats.Episode e = Json.LINE.fromJson(line, EpisodeStats.Episode.class);
      return e != null && e.game() != null && Double.isFinite(e.episodeReturn()) ? e : null;
    } catch (RuntimeException malformed) {
      return null;
    }
  }
}
