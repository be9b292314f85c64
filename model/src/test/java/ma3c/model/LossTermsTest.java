package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loss terms and their gradients on a net small enough to compute by hand: every weight 0,
 * so the features are 0, pi = softmax(pi_b) and V = v_b. With pi_b = (0, ln 2): pi = (1/3, 2/3),
 * H = ln 3 - (2/3) ln 2. Each expected number below is written out from the formulas, so a
 * flipped policy-loss sign, entropy sign or coefficient, value coefficient or a step that should
 * not count changes it.
 */
class LossTermsTest {
  private static final double LN3 = Math.log(3);
  private static final double LN2 = Math.log(2);
  private static final double H = LN3 - 2 * LN2 / 3;
  private static final double BETA = 0.01;
  private static final double VALUE_COEF = 0.5;

  private final ParameterLayout layout = new ParameterLayout(
      new NetSpec(Architecture.A3C, false, Map.of("g", 2)));
  private final A3CNet net = new A3CNet(layout, "g", 5);
  private final byte[] observation = new byte[4 * NetSpec.SIZE * NetSpec.SIZE];
  private final float[] grad = new float[net.size()];

  LossTermsTest() {
    float[] p = net.parameters();
    Arrays.fill(p, 0);
    p[net.offset("pi_b") + 1] = (float) LN2;
    p[net.offset("v_b")] = 0.5f;
    Arrays.fill(observation, (byte) 200);
  }

  @Test
  void oneStepLossAndGradientsAreTheFormulas() {
    net.beginRollout();
    A3CNet.Output out = net.act(observation);
    assertEquals(1 / 3.0, out.probs()[0], 1e-6);
    assertEquals(0.5, out.value(), 1e-7);

    // Action 0, return 1, advantage 2.
    A3CNet.Losses l = net.backward(1, new int[] {0}, new double[] {1}, new double[] {2}, VALUE_COEF,
        BETA, grad);
    assertEquals(2 * LN3, l.policy(), 1e-6, "policy loss = -A log pi(a)");
    assertEquals(0.25, l.value(), 1e-6, "value loss = (R - V)^2");
    assertEquals(H, l.entropy(), 1e-6, "entropy");
    assertEquals(2 * LN3 + VALUE_COEF * 0.25 - BETA * H, l.total(), 1e-6, "total");

    // d/dz_k = -A (1[k = a] - p_k) + beta p_k (log p_k + H)
    double dz0 = -2 * (1 - 1 / 3.0) + BETA / 3 * (-LN3 + H);
    double dz1 = -2 * (0 - 2 / 3.0) + BETA * 2 / 3 * (LN2 - LN3 + H);
    assertEquals(-1.3348737, dz0, 1e-7, "the formula itself");
    assertEquals(dz0, grad[net.offset("pi_b")], 1e-6, "d loss / d pi_b[taken]");
    assertEquals(dz1, grad[net.offset("pi_b") + 1], 1e-6, "d loss / d pi_b[other]");
    assertEquals(2 * VALUE_COEF * (0.5 - 1), grad[net.offset("v_b")], 1e-6, "d loss / d v_b");
    // Zero features: no weight of the heads or the trunk gets a gradient.
    assertEquals(0, grad[net.offset("pi_w")]);
    assertEquals(0, grad[net.offset("v_w")]);
  }

  @Test
  void aNegativeAdvantageMakesTheTakenActionLessLikely() {
    net.beginRollout();
    net.act(observation);
    net.backward(1, new int[] {1}, new double[] {0.5}, new double[] {-1}, VALUE_COEF, 0, grad);
    // Gradient descent moves pi_b[1] by -grad: it must go down.
    assertEquals(1 * (1 - 2 / 3.0), grad[net.offset("pi_b") + 1], 1e-6);
    assertEquals(0, grad[net.offset("v_b")], 1e-7, "R = V: no value gradient");
  }

  @Test
  void onlyTheStepsOfTheRolloutCount() {
    net.beginRollout();
    for (int t = 0; t < 3; t++) {
      net.act(observation);
    }
    // Three steps acted, an episode ended after two: the third (return 100) must not count.
    A3CNet.Losses l = net.backward(2, new int[] {0, 0, 0}, new double[] {1, 1, 100},
        new double[] {0, 0, 0}, VALUE_COEF, 0, grad);
    assertEquals(0.5, l.value(), 1e-6);
    assertEquals(2 * 2 * VALUE_COEF * (0.5 - 1), grad[net.offset("v_b")], 1e-6);
    assertEquals(0, l.policy(), 1e-9, "zero advantages: no policy loss");
  }
}
