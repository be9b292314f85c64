package ma3c.learner.algo;

/**
 * Hyperparameters, named as in the A3C paper (Mnih et al. 2016); defaults are its Atari values.
 *
 * @param gamma discount factor
 * @param tMax steps per rollout (5 for feed-forward nets, 20 for LSTM nets)
 * @param entropyBeta weight of the entropy bonus
 * @param valueCoef weight of the value loss sum_t (R_t - V(s_t))^2
 * @param learningRate RMSProp step size at the start, annealed linearly to 0 over the budget
 * @param rmsAlpha RMSProp decay of the shared squared-gradient average
 * @param rmsEpsilon RMSProp epsilon
 * @param gradClipNorm global gradient norm clip
 * @param rewardClip training rewards are clipped to [-rewardClip, rewardClip]
 * @param frameBudget emulator frames over all threads (the paper's "frames")
 */
public record A3CConfig(double gamma, int tMax, double entropyBeta, double valueCoef,
    double learningRate, double rmsAlpha, double rmsEpsilon, double gradClipNorm,
    double rewardClip, long frameBudget) {

  public static A3CConfig defaults(boolean lstm, long frameBudget) {
    return new A3CConfig(0.99, lstm ? 20 : 5, 0.01, 0.5, 7e-4, 0.99, 0.1, 40, 1, frameBudget);
  }

  /** The learning rate after {@code frames} frames: linear from learningRate to 0. */
  public double learningRateAt(long frames) {
    return learningRate * Math.max(0, 1 - (double) frames / frameBudget);
  }
}
