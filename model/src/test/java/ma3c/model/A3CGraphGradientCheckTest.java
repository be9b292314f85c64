package ma3c.model;


import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The full A3C loss (policy, entropy, value) against central finite differences in double
 * precision, for every parameter tensor of the FF and the LSTM net, the LSTM starting from
 * non-zero h0 and c0 (where SameDiff M2.1's own lstmLayer gets its gradient wrong).
 */
class A3CGraphGradientCheckTest {
  private static final double EPS = 1e-6;
  private static final int CHECKS_PER_TENSOR = 12;

  @Test
  void feedForwardLossGradientMatchesFiniteDifferences() {
    check(false, Architecture.MA3C_2, 3);
  }

  @Test
  void lstmLossGradientMatchesFiniteDifferencesFromNonZeroState() {
    check(true, Architecture.MA3C_1, 3);
  }

  private static void check(boolean lstm, Architecture architecture, int steps) {
    NetSpec spec = new NetSpec(architecture, lstm, Map.of("pong", 6, "breakout", 4));
    ParameterLayout layout = new ParameterLayout(spec);
    // Unroll one step longer than the rollout: the padded step must not leak into the gradient.
    A3CGraph graph = new A3CGraph(layout, "breakout", DataType.DOUBLE, steps + 1, 0.5, 0.01);
    SplittableRandom random = new SplittableRandom(42);
    for (String name : graph.parameterNames()) {
      INDArray arr = graph.sameDiff().getVariable(name).getArr();
      // Larger than the init scale, so that no term (policy head, biases) is trivially zero.
      double scale = name.startsWith("pi_") || name.endsWith("_b") ? 0.3 : 0.08;
      for (long i = 0; i < arr.length(); i++) {
        arr.data().put(i, random.nextGaussian() * scale);
      }
    }
    Batch batch = randomBatch(spec, steps, 4, random);

    Map<String, INDArray> analytic = graph.gradientsByName(batch);
    for (String name : graph.parameterNames()) {
      INDArray arr = graph.sameDiff().getVariable(name).getArr();
      INDArray grad = analytic.get(name);
      double worst = 0;
      for (int k = 0; k < CHECKS_PER_TENSOR; k++) {
        long i = random.nextLong(arr.length());
        double original = arr.data().getDouble(i);
        arr.data().put(i, original + EPS);
        double plus = graph.loss(batch);
        arr.data().put(i, original - EPS);
        double minus = graph.loss(batch);
        arr.data().put(i, original);
        double numeric = (plus - minus) / (2 * EPS);
        double exact = grad.data().getDouble(i);
        double error = Math.abs(numeric - exact) / Math.max(1e-6, Math.abs(numeric) + Math.abs(exact));
        worst = Math.max(worst, error);
      }
      assertTrue(worst < 1e-4, (lstm ? "LSTM " : "FF ") + name + ": relative error " + worst);
    }
  }

  static Batch randomBatch(NetSpec spec, int steps, int actions, SplittableRandom random) {
    int pixels = spec.frames() * NetSpec.SIZE * NetSpec.SIZE;
    byte[][] obs = new byte[steps][pixels];
    int[] taken = new int[steps];
    double[] returns = new double[steps];
    double[] advantages = new double[steps];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < pixels; i++) {
        obs[t][i] = (byte) random.nextInt(256);
      }
      taken[t] = random.nextInt(actions);
      returns[t] = random.nextGaussian();
      advantages[t] = random.nextGaussian();
    }
    double[] h0 = new double[NetSpec.HIDDEN];
    double[] c0 = new double[NetSpec.HIDDEN];
    for (int i = 0; i < NetSpec.HIDDEN; i++) {
      h0[i] = random.nextGaussian() * 0.5;
      c0[i] = random.nextGaussian() * 0.5;
    }
    return new Batch(steps, obs, taken, returns, advantages, h0, c0);
  }
}
