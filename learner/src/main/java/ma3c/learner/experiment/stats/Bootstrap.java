package ma3c.learner.experiment.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * Resampling with replacement, the runs (seeds) being what is resampled: a statistic's
 * replicates, one per resample, from which {@link Percentiles} reads an interval.
 *
 * <p>Deterministic: every call starts its own generator from the same seed, so a statistic's
 * replicates depend only on its data, not on what was computed before it (the same logs give the
 * same report, whatever else the report holds).
 */
public final class Bootstrap {
  /**
   * The report's resamples. With a handful of seeds the resampled means take few distinct
   * values and an interval's end sits on one of them: another generator seed moves it at most to
   * a neighbouring one, under 5% of the interval's width (BootstrapTest), and more resamples
   * would not make that much smaller.
   */
  public static final int RESAMPLES = 10_000;
  /** The report's generator seed. Any fixed number would do; it must never change, or every interval's last digits move. */
  public static final long SEED = 29;

  private final int resamples;
  private final long seed;

  public Bootstrap(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be 1 or more, got " + resamples);
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  /** {@link #RESAMPLES} resamples from {@link #SEED}. */
  public static Bootstrap standard() {
    return new Bootstrap(RESAMPLES, SEED);
  }

  public int resamples() {
    return resamples;
  }

  /** The statistic on each resample of one group of runs. */
  public double[] replicates(double[] runs, ToDoubleFunction<double[]> statistic) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      out[b] = statistic.applyAsDouble(resample(runs, random));
    }
    return out;
  }

  /** Two independent groups (two arms' seeds): each resampled on its own, as they were trained. */
  public double[] replicates(double[] x, double[] y, ToDoubleBiFunction<double[], double[]> statistic) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double[] xs = resample(x, random);
      out[b] = statistic.applyAsDouble(xs, resample(y, random));
    }
    return out;
  }

  /**
   * Stratified: the runs of each task (game) resampled within that task, so every resample keeps
   * every task with its number of runs (rliable's StratifiedBootstrap).
   */
  public double[] stratified(List<double[]> tasks, ToDoubleFunction<List<double[]>> statistic) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      out[b] = statistic.applyAsDouble(resample(tasks, random));
    }
    return out;
  }

  /** Stratified, two independent groups: each group's runs resampled within each task. */
  public double[] stratified(List<double[]> x, List<double[]> y,
      ToDoubleBiFunction<List<double[]>, List<double[]>> statistic) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      List<double[]> xs = resample(x, random);
      out[b] = statistic.applyAsDouble(xs, resample(y, random));
    }
    return out;
  }

  private static List<double[]> resample(List<double[]> tasks, SplittableRandom random) {
    List<double[]> out = new ArrayList<>(tasks.size());
    for (double[] runs : tasks) {
      out.add(resample(runs, random));
    }
    return out;
  }

  /** As many draws as there are runs, each run equally likely every time. */
  private static double[] resample(double[] runs, SplittableRandom random) {
    if (runs.length == 0) {
      throw new IllegalArgumentException("nothing to resample");
    }
    double[] out = new double[runs.length];
    for (int i = 0; i < runs.length; i++) {
      out[i] = runs[random.nextInt(runs.length)];
    }
    return out;
  }
}
