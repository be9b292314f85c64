package ma3c.model;

import java.util.SplittableRandom;

/** Picking an action from a policy's probabilities. */
public final class ActionSampling {
  private ActionSampling() {}

  /** The most probable action (the first on ties). */
  public static int greedy(float[] probs) {
    int best = 0;
    for (int i = 1; i < probs.length; i++) {
      if (probs[i] > probs[best]) {
        best = i;
      }
    }
    return best;
  }

  /** An action drawn from {@code probs}. */
  public static int sample(float[] probs, SplittableRandom random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < probs.length; i++) {
      cumulative += probs[i];
      if (u < cumulative) {
        return i;
      }
    }
    return probs.length - 1;
  }
}
