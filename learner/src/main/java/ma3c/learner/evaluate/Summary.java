package ma3c.learner.evaluate;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * One game's episode returns in a few numbers. The interval is the 95% confidence interval of the
 * mean return by Student's t over the episodes (independent draws: each has its own seed), so it
 * says how well N episodes pin down this policy's mean, not how another training run would score.
 *
 * @param ciLow the interval's lower end; NaN (null in JSON) with fewer than 2 episodes
 * @param truncated episodes cut by the frame cap (they count, with the score they had)
 */
public record Summary(double mean, double ciLow, double ciHigh, double min, double max,
    int episodes, int truncated) {
  private static final double CONFIDENCE = 0.95;

  public static Summary of(double[] returns, int truncated) {
    int n = returns.length;
    if (n == 0) {
      throw new IllegalArgumentException("no episodes to summarise");
    }
    double mean = Arrays.stream(returns).sum() / n;
    double halfWidth = Double.NaN;
    if (n > 1) {
      double squares = Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).sum();
      double standardError = Math.sqrt(squares / (n - 1) / n);
      double t = TDistribution.of(n - 1).inverseSurvivalProbability((1 - CONFIDENCE) / 2);
      halfWidth = t * standardError;
    }
    return new Summary(mean, mean - halfWidth, mean + halfWidth,
        Arrays.stream(returns).min().orElseThrow(), Arrays.stream(returns).max().orElseThrow(),
        n, truncated);
  }
}
