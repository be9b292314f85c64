package ma3c.learner.algo;

/**
 * n-step returns and advantages of one rollout (A3C, Algorithm S3):
 * R = bootstrap; for i = t-1 down to t_start: R = r_i + gamma R, A_i = R - V(s_i).
 */
public final class NStepReturns {
  private NStepReturns() {}

  /**
   * @param rewards clipped rewards r_t_start .. r_t-1
   * @param values V(s_i) for the same steps
   * @param bootstrap 0 when s_t is terminal, V(s_t) otherwise
   * @param returnsOut receives R_i
   * @param advantagesOut receives R_i - V(s_i)
   */
  public static void compute(int steps, double[] rewards, double[] values, double bootstrap,
      double gamma, double[] returnsOut, double[] advantagesOut) {
    double r = bootstrap;
    for (int i = steps - 1; i >= 0; i--) {
      r = rewards[i] + gamma * r;
      returnsOut[i] = r;
      advantagesOut[i] = r - values[i];
    }
  }
}
