package ma3c.learner.experiment;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ma3c.learner.experiment.stats.Estimate;
import ma3c.learner.experiment.stats.Estimates;
import ma3c.learner.plot.ChartGrid;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * An experiment's curves, a panel per game and a line per arm: the mean over seeds of the mean
 * return of the last 100 episodes, with its 95% bootstrap interval at each grid point as a band
 * (none from fewer than {@link ma3c.learner.experiment.stats.Estimates#MIN_RUNS} seeds). Drawn twice: against the frames of that game
 * (arms compared at equal frames per game), and on the paper's axis, where an MA3C arm's x counts
 * the frames of all its games together (its section 3.4), to set beside its Figures 4 and 5.
 */
final class CurvePictures {
  /** The second picture's name, beside curves.png. */
  static final String PAPER_AXIS = "curves-paper-axis.png";

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728),
      new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

  private final long framesPerGame;
  private final Estimates estimates;

  CurvePictures(long framesPerGame, Estimates estimates) {
    this.framesPerGame = framesPerGame;
    this.estimates = estimates;
  }

  /** Writes both pictures of {@code bands} (game -> arm -> its seeds' curves) into {@code dir}. */
  void write(Map<String, Map<String, ExperimentReport.Band>> bands, Path dir) throws IOException {
    draw(bands, false, dir.resolve("curves.png"));
    draw(bands, true, dir.resolve(PAPER_AXIS));
  }

  private void draw(Map<String, Map<String, ExperimentReport.Band>> bands, boolean paperAxis, Path png)
      throws IOException {
    List<JFreeChart> charts = new ArrayList<>();
    for (Map.Entry<String, Map<String, ExperimentReport.Band>> game : bands.entrySet()) {
      YIntervalSeriesCollection data = new YIntervalSeriesCollection();
      for (Map.Entry<String, ExperimentReport.Band> arm : game.getValue().entrySet()) {
        ExperimentReport.Band b = arm.getValue();
        data.addSeries(series(arm.getKey() + legend(b), paperAxis ? b.paperCurves() : b.curves(),
            paperAxis ? b.paperBudget() : framesPerGame));
      }
      DeviationRenderer renderer = new DeviationRenderer(true, false);
      for (int s = 0; s < data.getSeriesCount(); s++) {
        Color c = PALETTE[s % PALETTE.length];
        renderer.setSeriesPaint(s, c);
        renderer.setSeriesFillPaint(s, new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
      }
      charts.add(ChartGrid.panel(game.getKey(), paperAxis
              ? "frames of all the arm's games (millions): the paper's axis"
              : "frames of " + game.getKey() + " (millions)",
          "mean return of the last 100 episodes", data, renderer));
    }
    ChartGrid.write(charts, png);
  }

  private static String legend(ExperimentReport.Band b) {
    String seeds = b.seeds() == 1 ? "1 seed" : b.seeds() + " seeds, 95% CI";
    return " (" + seeds + (b.finished() ? "" : ", under way") + ")";
  }

  /** The seeds' mean and interval at each grid point where every seed has a score. */
  private YIntervalSeries series(String name, List<double[]> curves, long budget) {
    YIntervalSeries s = new YIntervalSeries(name, false, false);
    for (int i = 0; i < ExperimentReport.GRID; i++) {
      double[] atPoint = new double[curves.size()];
      boolean all = true;
      for (int c = 0; c < curves.size(); c++) {
        atPoint[c] = curves.get(c)[i];
        all &= !Double.isNaN(atPoint[c]);
      }
      if (!all) {
        continue;
      }
      Estimate mean = estimates.mean(atPoint);
      double x = ExperimentReport.gridFrames(i, budget) / 1e6;
      if (mean.hasInterval()) {
        s.add(x, mean.value(), mean.interval().low(), mean.interval().high());
      } else {
        s.add(x, mean.value(), mean.value(), mean.value());
      }
    }
    return s;
  }
}
