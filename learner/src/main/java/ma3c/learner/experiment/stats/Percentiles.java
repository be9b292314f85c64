package ma3c.learner.experiment.stats;

import org.apache.commons.statistics.descriptive.NaNPolicy;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * What a bootstrap's replicates say: the percentile interval and the standard error.
 *
 * <p>Percentiles are Hyndman & Fan's type 7 (linear interpolation between order statistics),
 * numpy's default, which rliable's percentile intervals (via the arch library) use, so the same
 * replicates give the same interval here and there.
 */
public final class Percentiles {
  // A NaN replicate is a bug upstream (a statistic of nothing): an error, never a quiet percentile.
  private static final Quantile TYPE_7 = Quantile.withDefaults()
      .with(Quantile.EstimationMethod.HF7).with(NaNPolicy.ERROR).withCopy(true);

  private Percentiles() {}

  /** The central {@code level} interval of the replicates (0.95: the 2.5th and 97.5th percentiles). */
  public static Interval interval(double[] replicates, double level) {
    if (replicates.length == 0 || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException("need replicates and a level in (0, 1)");
    }
    double tail = (1 - level) / 2;
    double[] ends = TYPE_7.evaluate(replicates, tail, 1 - tail);
    return new Interval(ends[0], ends[1]);
  }

  /** The replicates' standard deviation: the bootstrap standard error (Efron & Tibshirani's se_B). */
  public static double standardError(double[] replicates) {
    if (replicates.length < 2) {
      throw new IllegalArgumentException("a standard error needs two replicates or more");
    }
    double mean = Aggregates.mean(replicates);
    double squares = 0;
    for (double r : replicates) {
      squares += (r - mean) * (r - mean);
    }
    return Math.sqrt(squares / (replicates.length - 1));
  }
}
