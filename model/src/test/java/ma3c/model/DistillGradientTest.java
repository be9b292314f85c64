package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The distillation gradient (KL to a teacher's policy plus the value error) against central
 * finite differences of the loss, recomputed from a fresh forward pass for each perturbed
 * parameter: an independent reference for the heads' new gradient; the trunk below them is the
 * path {@link A3CNetReferenceTest} checks against SameDiff.
 */
class DistillGradientTest {
  private static final double VALUE_COEF = 0.5;
  private static final int STEPS = 4;

  private record Rollout(byte[][] observations, float[] teacherProbs, float[] teacherValues) {}

  private static Rollout rollout(NetSpec spec, int actions, SplittableRandom random) {
    int pixels = spec.frames() * NetSpec.SIZE * NetSpec.SIZE;
    byte[][] obs = new byte[STEPS][pixels];
    float[] probs = new float[STEPS * actions];
    float[] values = new float[STEPS];
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < pixels; i++) {
        obs[t][i] = (byte) random.nextInt(256);
      }
      double sum = 0;
      for (int k = 0; k < actions; k++) {
        // One action the teacher never takes: 0 log 0 counts as 0.
        probs[t * actions + k] = k == 0 ? 0 : (float) Math.exp(2 * random.nextGaussian());
        sum += probs[t * actions + k];
      }
      for (int k = 0; k < actions; k++) {
        probs[t * actions + k] /= (float) sum;
      }
      values[t] = (float) random.nextGaussian();
    }
    return new Rollout(obs, probs, values);
  }

  /** The summed policy entropy of a fresh forward pass over the rollout. */
  private static double entropy(A3CNet net, float[] theta, Rollout r) {
    net.loadFrom(theta);
    net.resetState();
    net.beginRollout();
    double entropy = 0;
    for (int t = 0; t < STEPS; t++) {
      for (float p : net.act(r.observations()[t]).probs()) {
        entropy -= p > 0 ? p * Math.log(p) : 0;
      }
    }
    return entropy;
  }

  /** The loss from a fresh forward pass, in double from the net's float outputs. */
  private static double loss(A3CNet net, float[] theta, Rollout r) {
    net.loadFrom(theta);
    net.resetState();
    net.beginRollout();
    double loss = 0;
    int actions = net.actions();
    for (int t = 0; t < STEPS; t++) {
      A3CNet.Output out = net.act(r.observations()[t]);
      for (int k = 0; k < actions; k++) {
        double q = r.teacherProbs()[t * actions + k];
        if (q > 0) {
          loss += q * (Math.log(q) - Math.log(out.probs()[k]));
        }
      }
      double err = out.value() - r.teacherValues()[t];
      loss += VALUE_COEF * err * err;
    }
    return loss;
  }

  @ParameterizedTest(name = "lstm={0}")
  @ValueSource(booleans = {false, true})
  void gradientsMatchFiniteDifferences(boolean lstm) {
    NetSpec spec = new NetSpec(Architecture.A3C, lstm, Map.of("pong", 6));
    ParameterLayout layout = new ParameterLayout(spec);
    SplittableRandom random = new SplittableRandom(lstm ? 7 : 5);
    float[] theta = A3CNetReferenceTest.randomParameters(layout, random);
    A3CNet net = new A3CNet(layout, "pong", STEPS);
    assertEquals(layout.size(), net.size(), "one game: the view is the whole layout, in order");
    Rollout r = rollout(spec, 6, random);

    double entropy = entropy(net, theta, r);
    double before = loss(net, theta, r);
    float[] grad = new float[net.size()];
    A3CNet.DistillLosses losses = net.distillBackward(STEPS, r.teacherProbs(), r.teacherValues(),
        VALUE_COEF, grad);
    assertEquals(before, losses.kl() + VALUE_COEF * losses.value(), 1e-4 * Math.abs(before));
    assertEquals(entropy, losses.entropy(), 1e-4 * entropy, "the student's entropy, for the logs");

    for (ParameterLayout.Block b : layout.blocks()) {
      // The block's largest gradients: where finite differences in float are well above noise.
      int[] top = largest(grad, b.offset(), b.size(), 4);
      double diff = 0;
      double norm = 0;
      for (int i : top) {
        float saved = theta[i];
        double eps = 1e-2 * Math.max(0.05, Math.abs(saved));
        theta[i] = (float) (saved + eps);
        double up = loss(net, theta, r);
        theta[i] = (float) (saved - eps);
        double down = loss(net, theta, r);
        theta[i] = saved;
        double numeric = (up - down) / (2 * eps);
        diff += (grad[i] - numeric) * (grad[i] - numeric);
        norm += numeric * numeric;
      }
      if (norm < 1e-10) {
        continue; // e.g. a conv bias whose units never fired on these frames
      }
      double relative = Math.sqrt(diff / norm);
      assertTrue(relative < 0.05, b.globalName() + ": relative error " + relative);
    }
  }

  private static int[] largest(float[] x, int from, int n, int count) {
    int[] best = new int[Math.min(count, n)];
    java.util.Arrays.fill(best, -1);
    for (int i = from; i < from + n; i++) {
      for (int j = 0; j < best.length; j++) {
        if (best[j] < 0 || Math.abs(x[i]) > Math.abs(x[best[j]])) {
          System.arraycopy(best, j, best, j + 1, best.length - j - 1);
          best[j] = i;
          break;
        }
      }
    }
    return best;
  }
}
