package ma3c.learner.experiment.stats;

/** A confidence interval [low, high] (here always 95%, from the bootstrap's percentiles). */
public record Interval(double low, double high) {
  public Interval {
    if (!(low <= high)) {
      throw new IllegalArgumentException("an interval needs low <= high, got [" + low + ", " + high + "]");
    }
  }

  public boolean contains(double x) {
    return low <= x && x <= high;
  }

  /** True when the whole interval lies above {@code x}. */
  public boolean above(double x) {
    return low > x;
  }

  /** True when the whole interval lies below {@code x}. */
  public boolean below(double x) {
    return high < x;
  }

  /** Half the width: how far from its middle an effect must lie to be resolved by it. */
  public double halfWidth() {
    return (high - low) / 2;
  }
}
