package ma3c.learner.experiment.stats;

/**
 * A statistic over runs and its 95% interval. The interval is null where resampling would only
 * pretend to one: a group with a single run (one seed) resamples to itself every time, and its
 * "interval" would say nothing about another seed.
 *
 * @param value the statistic on the runs themselves
 * @param interval the percentile bootstrap interval; null with fewer than two runs in a group
 * @param runs the runs in the smallest group it was computed from
 */
public record Estimate(double value, Interval interval, int runs) {
  public boolean hasInterval() {
    return interval != null;
  }
}
