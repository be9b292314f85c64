package ma3c.learner.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-step means of the loss terms and gradient norms since the last read, per game. */
public final class LossMeter {
  /** Means over an interval. */
  public record Means(double policyLoss, double valueLoss, double entropy, double gradNorm,
      long updates) {}

  private final Map<String, double[]> sums = new LinkedHashMap<>();

  public LossMeter(List<String> games) {
    for (String g : games) {
      sums.put(g, new double[6]);
    }
  }

  public synchronized void add(String game, int steps, double policy, double value, double entropy,
      double gradNorm) {
    double[] s = sums.get(game);
    s[0] += policy;
    s[1] += value;
    s[2] += entropy;
    s[3] += steps;
    s[4] += gradNorm;
    s[5] += 1;
  }

  /** The means since the previous call, and a reset. */
  public synchronized Map<String, Means> drain() {
    Map<String, Means> out = new LinkedHashMap<>();
    sums.forEach((g, s) -> {
      double steps = Math.max(1, s[3]);
      double updates = Math.max(1, s[5]);
      out.put(g, new Means(s[0] / steps, s[1] / steps, s[2] / steps, s[4] / updates, (long) s[5]));
      java.util.Arrays.fill(s, 0);
    });
    return out;
  }
}
