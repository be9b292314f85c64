package ma3c.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.runformat.JsonlTail;
import ma3c.runformat.MetricsRecord;

/**
 * A run's metrics.jsonl over time, fed as lines arrive: frames/s and the learning rate, and per
 * game its score, losses, entropy, gradient norm and actor threads. Rows are kept at a bounded
 * resolution (when they outgrow the capacity, neighbours are averaged and each row then stands
 * for twice as many lines), so that a run of days draws as fast as a run of minutes. The latest
 * line is also kept whole: the run list's frames, frames/s and ETA come from it.
 */
final class MetricsHistory implements JsonlTail.Reader {
  /** Run-wide fields drawn over time. */
  static final List<String> RUN_FIELDS = List.of("fps", "learningRate");
  /** Per-game fields drawn over time. */
  static final List<String> GAME_FIELDS =
      List.of("mean100", "policyLoss", "valueLoss", "entropy", "gradNorm", "threads");
  static final int CAPACITY = 2048;

  /** The latest line: total frames, frames/s, and per game its frames, episodes and score. */
  record Latest(double time, long frames, double fps, Map<String, GameLatest> games) {}

  record GameLatest(long frames, long episodes, double mean100) {}

  /** A column: a run-wide field (game null) or a game's. */
  private record Column(String game, String field) {}

  /** Averages of {@code lines} consecutive lines; sums and counts skip missing values. */
  private static final class Row {
    long frames;
    double time;
    int lines;
    double[] sum;
    int[] count;

    Row(int columns) {
      sum = new double[columns];
      count = new int[columns];
    }

    void widen(int columns) {
      sum = Arrays.copyOf(sum, columns);
      count = Arrays.copyOf(count, columns);
    }

    void merge(Row later) {
      if (later.sum.length > sum.length) {
        widen(later.sum.length);
      }
      frames = later.frames;
      time = later.time;
      lines += later.lines;
      for (int c = 0; c < later.sum.length; c++) {
        sum[c] += later.sum[c];
        count[c] += later.count[c];
      }
    }

    double value(int c) {
      return c < count.length && count[c] > 0 ? sum[c] / count[c] : Double.NaN;
    }
  }

  private final Map<Column, Integer> columns = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  /** Lines per row: doubles each time the rows are merged. */
  private int stride = 1;
  private Row pending;
  private Latest latest;
  private long badLines;

  @Override
  public void restarted() {
    columns.clear();
    rows.clear();
    stride = 1;
    pending = null;
    latest = null;
    badLines = 0;
  }

  @Override
  public void line(String line) {
    MetricsRecord o = MetricsRecord.parse(line);
    if (o == null) {
      badLines++;
      return;
    }
    long frames = o.frames();
    Row row = new Row(columns.size());
    row.frames = frames;
    row.time = o.time();
    row.lines = 1;
    for (String field : RUN_FIELDS) {
      put(row, new Column(null, field), runField(o, field));
    }
    Map<String, GameLatest> games = new LinkedHashMap<>();
    o.games().forEach((game, m) -> {
      for (String field : GAME_FIELDS) {
        put(row, new Column(game, field), gameField(m, field));
      }
      games.put(game, new GameLatest(m.frames(), m.episodes(), m.mean100()));
    });
    latest = new Latest(row.time, frames, o.fps(), games);
    append(row);
  }

  /** A field of {@link #RUN_FIELDS}. */
  private static double runField(MetricsRecord m, String field) {
    return switch (field) {
      case "fps" -> m.fps();
      case "learningRate" -> m.learningRate();
      default -> throw new IllegalArgumentException(field);
    };
  }

  /** A field of {@link #GAME_FIELDS}; NaN where the line had none (null, or older than it). */
  private static double gameField(MetricsRecord.GameMetrics m, String field) {
    Number value = switch (field) {
      case "mean100" -> m.mean100();
      case "policyLoss" -> m.policyLoss();
      case "valueLoss" -> m.valueLoss();
      case "entropy" -> m.entropy();
      case "gradNorm" -> m.gradNorm();
      case "threads" -> m.threads();
      default -> throw new IllegalArgumentException(field);
    };
    return value == null ? Double.NaN : value.doubleValue();
  }

  private void put(Row row, Column column, double value) {
    Integer c = columns.get(column);
    if (c == null) {
      c = columns.size();
      columns.put(column, c);
    }
    if (c >= row.sum.length) {
      row.widen(columns.size());
    }
    if (Double.isFinite(value)) {
      row.sum[c] += value;
      row.count[c]++;
    }
  }

  private void append(Row row) {
    if (pending == null) {
      pending = row;
    } else {
      pending.merge(row);
    }
    if (pending.lines < stride) {
      return;
    }
    rows.add(pending);
    pending = null;
    if (rows.size() >= CAPACITY) {
      List<Row> merged = new ArrayList<>(CAPACITY / 2);
      for (int i = 0; i + 1 < rows.size(); i += 2) {
        Row a = rows.get(i);
        a.merge(rows.get(i + 1));
        merged.add(a);
      }
      rows.clear();
      rows.addAll(merged);
      stride *= 2;
    }
  }

  Latest latest() {
    return latest;
  }

  long badLines() {
    return badLines;
  }

  /** Rows so far (not counting lines waiting to fill a row): bounded by the capacity. */
  int rows() {
    return rows.size();
  }

  /**
   * At most {@code points} points: consecutive rows averaged, the latest lines last. Frames and
   * time are those of each point's last line; a value no line of a point had is NaN.
   */
  Series downsample(int points) {
    List<Row> all = new ArrayList<>(rows);
    if (pending != null) {
      all.add(pending);
    }
    int perPoint = Math.max(1, (all.size() + points - 1) / points);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += perPoint) {
      Row point = new Row(columns.size());
      for (int j = i; j < Math.min(all.size(), i + perPoint); j++) {
        point.merge(all.get(j));
      }
      out.add(point);
    }
    Series series = new Series(new long[out.size()], new double[out.size()], new LinkedHashMap<>(),
        new LinkedHashMap<>());
    for (int p = 0; p < out.size(); p++) {
      series.frames()[p] = out.get(p).frames;
      series.time()[p] = out.get(p).time;
    }
    columns.forEach((column, c) -> {
      double[] values = new double[out.size()];
      for (int p = 0; p < out.size(); p++) {
        values[p] = out.get(p).value(c);
      }
      if (column.game() == null) {
        series.run().put(column.field(), values);
      } else {
        series.games().computeIfAbsent(column.game(), g -> new LinkedHashMap<>()).put(column.field(), values);
      }
    });
    return series;
  }

  /** Downsampled metrics: x (frames, seconds), run-wide series, per game series. */
  record Series(long[] frames, double[] time, Map<String, double[]> run,
      Map<String, Map<String, double[]>> games) {}
}
