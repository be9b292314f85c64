package ma3c.learner.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import ma3c.learner.run.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.data.xy.XYDataset;

/** The curve PNGs of `plot` and `experiment`: one JFreeChart panel per game, three to a row. */
public final class ChartGrid {
  private static final int PANEL_WIDTH = 640;
  private static final int PANEL_HEIGHT = 440;
  private static final int COLUMNS = 3;

  private ChartGrid() {}

  /** A panel of curves in the common look: white background, light grid, 2-pixel lines. */
  public static JFreeChart panel(String title, String xLabel, String yLabel, XYDataset data,
      AbstractXYItemRenderer renderer) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
        PlotOrientation.VERTICAL, true, false, false);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesStroke(s, new BasicStroke(2f));
    }
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  /** Draws the panels row by row into one PNG, written atomically. */
  public static void write(List<JFreeChart> panels, Path png) throws IOException {
    int columns = Math.min(COLUMNS, panels.size());
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      panels.get(i).draw(g, new Rectangle2D.Double((i % columns) * PANEL_WIDTH,
          (i / columns) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
    }
    g.dispose();
    AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
  }
}
