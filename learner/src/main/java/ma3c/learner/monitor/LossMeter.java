package ma3c.learner.monitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per game, since the last read: per-step means of the loss terms, the mean gradient norm (before
 * clipping) overall and per parameter block, and the fraction of updates that were clipped.
 */
public final class LossMeter {
  /** Means over an interval. */
  public record Means(double policyLoss, double valueLoss, double entropy, double gradNorm,
      double clippedFraction, Map<String, Double> blockGradNorms, long updates) {}

  /** One game's running sums. */
  private static final class Sums {
    final List<String> blocks;
    final double[] blockNorms;
    double policy;
    double value;
    double entropy;
    long steps;
    double gradNorm;
    long clipped;
    long updates;

    Sums(List<String> blocks) {
      this.blocks = blocks;
      this.blockNorms = new double[blocks.size()];
    }
  }

  private final Map<String, Sums> sums = new LinkedHashMap<>();

  /** @param blocksPerGame each game's parameter blocks, in the order of add()'s block norms */
  public LossMeter(Map<String, List<String>> blocksPerGame) {
    blocksPerGame.forEach((game, blocks) -> sums.put(game, new Sums(List.copyOf(blocks))));
  }

  public synchronized void add(String game, int steps, double policy, double value, double entropy,
      double gradNorm, boolean clipped, double[] blockNorms) {
    Sums s = sums.get(game);
    s.policy += policy;
    s.value += value;
    s.entropy += entropy;
    s.steps += steps;
    s.gradNorm += gradNorm;
    s.clipped += clipped ? 1 : 0;
    s.updates++;
    for (int i = 0; i < blockNorms.length; i++) {
      s.blockNorms[i] += blockNorms[i];
    }
  }

  /** The means since the previous call, and a reset (0 for a game without updates). */
  public synchronized Map<String, Means> drain() {
    Map<String, Means> out = new LinkedHashMap<>();
    sums.forEach((g, s) -> {
      double steps = Math.max(1, s.steps);
      double updates = Math.max(1, s.updates);
      Map<String, Double> blocks = new LinkedHashMap<>();
      for (int i = 0; i < s.blocks.size(); i++) {
        blocks.put(s.blocks.get(i), s.blockNorms[i] / updates);
      }
      out.put(g, new Means(s.policy / steps, s.value / steps, s.entropy / steps,
          s.gradNorm / updates, s.clipped / updates, blocks, s.updates));
      sums.put(g, new Sums(s.blocks));
    });
    return out;
  }
}
