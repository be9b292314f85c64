package ma3c.learner.experiment.stats;

import java.util.Arrays;
import java.util.List;

/**
 * The statistics the report aggregates runs with, as rliable defines them (Agarwal et al. 2021,
 * "Deep RL at the Edge of the Statistical Precipice"). Scores of several tasks come as one array
 * per task (a game), one value per run (a seed).
 */
public final class Aggregates {
  private Aggregates() {}

  public static double mean(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the mean of nothing");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * The interquartile mean of all runs of all tasks pooled: the mean of what is left after the
   * lowest and highest quarter are cut (scipy's trim_mean(scores, 0.25, axis=None), which cuts
   * floor(n / 4) values at each end, as rliable's aggregate_iqm does). Robust to an outlier run
   * like the median, yet it uses half the runs, not one.
   */
  public static double iqm(List<double[]> tasks) {
    double[] pooled = tasks.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    int cut = pooled.length / 4;
    return mean(Arrays.copyOfRange(pooled, cut, pooled.length - cut));
  }

  /**
   * P(X > Y) on one task: the chance that a run of X scores above a run of Y, ties counting a
   * half. It is the Mann-Whitney U statistic of X divided by the m x n pairs; counted pair by
   * pair, which a handful of seeds makes cheap and leaves no rank bookkeeping to get wrong.
   */
  public static double probabilityOfImprovement(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("P(X > Y) needs runs of both");
    }
    double wins = 0;
    for (double a : x) {
      for (double b : y) {
        wins += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return wins / ((double) x.length * y.length);
  }

  /** rliable's probability of improvement: P(X > Y) of each task, averaged over the tasks. */
  public static double probabilityOfImprovement(List<double[]> x, List<double[]> y) {
    if (x.size() != y.size() || x.isEmpty()) {
      throw new IllegalArgumentException("P(X > Y) needs the same tasks for both, got "
          + x.size() + " and " + y.size());
    }
    double sum = 0;
    for (int task = 0; task < x.size(); task++) {
      sum += probabilityOfImprovement(x.get(task), y.get(task));
    }
    return sum / x.size();
  }
}
