package ma3c.learner.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import ma3c.learner.plot.ChartGrid;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** `bench --png`: how the ratio to ALE alone and the memory grow with threads and with games. */
final class ScalingChart {
  private ScalingChart() {}

  static void write(List<BenchResult> results, Path png) throws IOException {
    List<BenchResult> oneGame = results.stream().filter(r -> !r.multiTask()).toList();
    List<BenchResult> games = results.stream().filter(BenchResult::multiTask).toList();
    List<JFreeChart> panels = new ArrayList<>();
    if (!oneGame.isEmpty()) {
      panels.add(panel("one game: training / ALE alone", "actor-learner threads", "ratio",
          byLabel(oneGame, BenchResult::threads, BenchResult::ratio)));
      panels.add(panel("one game: memory", "actor-learner threads", "MiB",
          memory(oneGame.stream().filter(r -> r.kind().equals(BenchCase.Kind.TRAIN.id)).toList(), BenchResult::threads)));
    }
    if (!games.isEmpty()) {
      panels.add(panel("MA3C-2, 8 threads per game: training / ALE alone", "games", "ratio",
          byLabel(games, r -> r.games().size(), BenchResult::ratio)));
      panels.add(panel("MA3C-2, 8 threads per game: memory", "games", "MiB",
          memory(games, r -> r.games().size())));
    }
    ChartGrid.write(panels, png);
  }

  private static JFreeChart panel(String title, String x, String y, XYSeriesCollection data) {
    return ChartGrid.panel(title, x, y, data, new XYLineAndShapeRenderer(true, true));
  }

  private static XYSeriesCollection byLabel(List<BenchResult> results, ToDoubleFunction<BenchResult> x,
      ToDoubleFunction<BenchResult> y) {
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (BenchResult r : results) {
      String label = r.multiTask() ? "train defaults (MA3C-2)" : r.label();
      series.computeIfAbsent(label, XYSeries::new).add(x.applyAsDouble(r), y.applyAsDouble(r));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    series.values().forEach(data::addSeries);
    return data;
  }

  private static XYSeriesCollection memory(List<BenchResult> results, ToDoubleFunction<BenchResult> x) {
    XYSeries rss = new XYSeries("resident set");
    XYSeries heap = new XYSeries("live heap");
    for (BenchResult r : results) {
      if (r.rssMiB() >= 0) {
        rss.add(x.applyAsDouble(r), r.rssMiB());
      }
      heap.add(x.applyAsDouble(r), r.heapMiB());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(rss);
    data.addSeries(heap);
    return data;
  }
}
