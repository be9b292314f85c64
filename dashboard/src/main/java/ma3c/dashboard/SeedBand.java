package ma3c.dashboard;

import java.util.List;

/**
 * An experiment arm's curve over its seeds, as the paper's figures draw it: on a common frame
 * grid, the mean score of the seeds and the band from the lowest to the highest. The grid spans
 * only the frames every seed has reached, so a seed that lags never drags the mean.
 */
final class SeedBand {
  record Band(long[] frames, double[] mean, double[] low, double[] high, int seeds) {}

  private SeedBand() {}

  /** The band of these curves (each in frame order, none empty) on at most {@code points} points. */
  static Band of(List<List<FrameBuckets.Point>> curves, int points) {
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (List<FrameBuckets.Point> c : curves) {
      from = Math.max(from, c.get(0).frames());
      to = Math.min(to, c.get(c.size() - 1).frames());
    }
    if (curves.isEmpty() || to < from) {
      return new Band(new long[0], new double[0], new double[0], new double[0], curves.size());
    }
    int n = to == from ? 1 : Math.max(2, points);
    long[] x = new long[n];
    double[] mean = new double[n];
    double[] low = new double[n];
    double[] high = new double[n];
    int[] cursor = new int[curves.size()];
    for (int i = 0; i < n; i++) {
      x[i] = n == 1 ? from : from + Math.round((double) (to - from) * i / (n - 1));
      double sum = 0;
      low[i] = Double.POSITIVE_INFINITY;
      high[i] = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < curves.size(); s++) {
        List<FrameBuckets.Point> c = curves.get(s);
        while (cursor[s] + 1 < c.size() && c.get(cursor[s] + 1).frames() <= x[i]) {
          cursor[s]++;
        }
        double y = c.get(cursor[s]).score();
        sum += y;
        low[i] = Math.min(low[i], y);
        high[i] = Math.max(high[i], y);
      }
      mean[i] = sum / curves.size();
    }
    return new Band(x, mean, low, high, curves.size());
  }
}
