package ma3c.learner.experiment.stats;

import java.util.List;
import java.util.function.Supplier;

/**
 * The report's statistics with their 95% percentile bootstrap intervals, seeds being the unit of
 * resampling. An estimate from fewer than {@link #MIN_RUNS} runs per group has no interval
 * ({@link Estimate}).
 */
public final class Estimates {
  /** The intervals' coverage. */
  public static final double LEVEL = 0.95;
  /**
   * The fewest runs per group for an interval. From 2, a resampled mean takes only 3 values (either
   * run, or their mean), so the percentile interval is the range of the two runs, which covers
   * the mean far less often than 95%: with two seeds per arm, Figure 4's first comparison read
   * "[0.67x, 0.76x]", a verdict no two seeds can carry.
   */
  public static final int MIN_RUNS = 3;

  private final Bootstrap bootstrap;

  public Estimates(Bootstrap bootstrap) {
    this.bootstrap = bootstrap;
  }

  public int resamples() {
    return bootstrap.resamples();
  }

  /** The mean over seeds. */
  public Estimate mean(double[] seeds) {
    double value = Aggregates.mean(seeds);
    return of(value, seeds.length, () -> bootstrap.replicates(seeds, Aggregates::mean));
  }

  /**
   * mean(x) / mean(y), x and y resampled independently. Only where every y is above 0: then every
   * resample's mean(y) is too, where a y of 0 or below would make some resamples divide by 0 or
   * flip the ratio's sign (use {@link #differenceOfMeans} there).
   */
  public Estimate ratioOfMeans(double[] x, double[] y) {
    if (!ratioDefined(y)) {
      throw new IllegalArgumentException("a ratio of means needs every denominator run above 0");
    }
    double value = Aggregates.mean(x) / Aggregates.mean(y);
    return of(value, Math.min(x.length, y.length),
        () -> bootstrap.replicates(x, y, (a, b) -> Aggregates.mean(a) / Aggregates.mean(b)));
  }

  /** True when every resample of {@code y} has a mean above 0: each run of it is. */
  public static boolean ratioDefined(double[] y) {
    for (double v : y) {
      if (!(v > 0)) {
        return false;
      }
    }
    return y.length > 0;
  }

  /** mean(x) - mean(y), x and y resampled independently. */
  public Estimate differenceOfMeans(double[] x, double[] y) {
    double value = Aggregates.mean(x) - Aggregates.mean(y);
    return of(value, Math.min(x.length, y.length),
        () -> bootstrap.replicates(x, y, (a, b) -> Aggregates.mean(a) - Aggregates.mean(b)));
  }

  /**
   * P(X > Y) averaged over the tasks; its interval resamples each group's runs within each task
   * (stratified), the two groups independently, as rliable does.
   */
  public Estimate probabilityOfImprovement(List<double[]> x, List<double[]> y) {
    double value = Aggregates.probabilityOfImprovement(x, y);
    return of(value, Math.min(fewest(x), fewest(y)),
        () -> bootstrap.stratified(x, y, Aggregates::probabilityOfImprovement));
  }

  /** The IQM of all runs of all tasks; its interval resamples the runs within each task. */
  public Estimate iqm(List<double[]> tasks) {
    double value = Aggregates.iqm(tasks);
    return of(value, fewest(tasks), () -> bootstrap.stratified(tasks, Aggregates::iqm));
  }

  private static int fewest(List<double[]> tasks) {
    return tasks.stream().mapToInt(t -> t.length).min().orElse(0);
  }

  /** The replicates are drawn only when there is an interval to read from them. */
  private Estimate of(double value, int runs, Supplier<double[]> replicates) {
    if (runs < MIN_RUNS) {
      return new Estimate(value, null, runs);
    }
    return new Estimate(value, Percentiles.interval(replicates.get(), LEVEL), runs);
  }
}
