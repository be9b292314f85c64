package ma3c.learner.experiment.stats;

import java.util.Locale;

/**
 * One arm's seeds against a baseline's on one game, on the scale where "how much better" means
 * something: the ratio of their mean scores where every seed of both scored above 0, else the
 * difference. A ratio to a mean that a resample can put at or below 0 is no measure of size, and
 * one of a score at or below 0 (Pong runs from -21 to 21) says nothing like "how many times".
 *
 * @param estimate the ratio or difference of the means, with its interval
 */
public record Comparison(Scale scale, Estimate estimate, int runs, int baselineRuns) {
  /** Ratio or difference, and what "no effect" is on each. */
  public enum Scale {
    RATIO(1),
    DIFFERENCE(0);

    private final double noEffect;

    Scale(double noEffect) {
      this.noEffect = noEffect;
    }

    public double noEffect() {
      return noEffect;
    }

    /** A value on this scale as the report writes it: 0.71x, or +2.57 (points). */
    public String format(double v) {
      return this == RATIO ? String.format(Locale.ROOT, "%.2fx", v) : String.format(Locale.ROOT, "%+.2f", v);
    }
  }

  /** The arm's scores {@code x} against the baseline's {@code y}, one per seed. */
  public static Comparison of(double[] x, double[] y, Estimates estimates) {
    return Estimates.ratioDefined(y) && Estimates.ratioDefined(x)
        ? new Comparison(Scale.RATIO, estimates.ratioOfMeans(x, y), x.length, y.length)
        : new Comparison(Scale.DIFFERENCE, estimates.differenceOfMeans(x, y), x.length, y.length);
  }
}
