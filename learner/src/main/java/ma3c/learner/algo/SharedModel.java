package ma3c.learner.algo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.net.A3CGraph;
import ma3c.policy.ParameterLayout;

/**
 * The shared parameters theta (trunk) and phi_k (per-game heads) in one flat array, with the
 * RMSProp statistics shared across threads as in A3C. Updated Hogwild-style: threads read and
 * write without locks.
 */
public final class SharedModel {
  private final ParameterLayout layout;
  private final float[] theta;
  private final float[] meanSquare;
  private final Map<String, int[]> viewOffsets = new HashMap<>();

  public SharedModel(ParameterLayout layout, float[] theta, float[] meanSquare) {
    if (theta.length != layout.size() || meanSquare.length != layout.size()) {
      throw new IllegalArgumentException("parameters of size " + theta.length + "/"
          + meanSquare.length + " do not fit the layout's " + layout.size());
    }
    this.layout = layout;
    this.theta = theta;
    this.meanSquare = meanSquare;
    for (String game : layout.spec().gameNames()) {
      List<ParameterLayout.Block> view = layout.view(game);
      int[] offsets = new int[view.size() * 2];
      for (int i = 0; i < view.size(); i++) {
        offsets[2 * i] = view.get(i).offset();
        offsets[2 * i + 1] = view.get(i).size();
      }
      viewOffsets.put(game, offsets);
    }
  }

  public static SharedModel fresh(ParameterLayout layout, long seed) {
    return new SharedModel(layout, layout.initialParameters(seed), new float[layout.size()]);
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** theta' = theta, phi' = phi_k: a thread's local copy for its game. */
  public void copyTo(A3CGraph local) {
    local.loadFrom(theta);
  }

  /**
   * One asynchronous RMSProp step with the thread's gradient (in the game's view order):
   * g = alpha g + (1 - alpha) d^2;  theta = theta - lr d / sqrt(g + eps).
   */
  public void apply(String game, float[] grad, double lr, double alpha, double epsilon) {
    int[] offsets = viewOffsets.get(game);
    float a = (float) alpha;
    float oneMinusA = 1 - a;
    float step = (float) lr;
    float eps = (float) epsilon;
    int at = 0;
    for (int b = 0; b < offsets.length; b += 2) {
      int offset = offsets[b];
      int size = offsets[b + 1];
      for (int i = 0; i < size; i++) {
        float d = grad[at + i];
        int j = offset + i;
        float g = a * meanSquare[j] + oneMinusA * d * d;
        meanSquare[j] = g;
        theta[j] -= step * d / (float) Math.sqrt(g + eps);
      }
      at += size;
    }
  }

  /** Scales {@code grad} in place so that its L2 norm is at most {@code maxNorm}; returns the norm. */
  public static double clipByNorm(float[] grad, double maxNorm) {
    double sum = 0;
    for (float g : grad) {
      sum += (double) g * g;
    }
    double norm = Math.sqrt(sum);
    if (norm > maxNorm) {
      float scale = (float) (maxNorm / norm);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
    return norm;
  }

  /** Floats of one game's view (the size of its gradient). */
  public int viewSize(String game) {
    int[] offsets = viewOffsets.get(game);
    int n = 0;
    for (int b = 1; b < offsets.length; b += 2) {
      n += offsets[b];
    }
    return n;
  }

  /** Copies of theta and the RMSProp statistics (for checkpoints; taken while threads run). */
  public float[] thetaSnapshot() {
    return theta.clone();
  }

  public float[] meanSquareSnapshot() {
    return meanSquare.clone();
  }
}
