package ma3c.learner.algo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ma3c.model.A3CNet;
import ma3c.model.ParameterLayout;
import ma3c.model.VectorMath;

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
  public void copyTo(A3CNet local) {
    local.loadFrom(theta);
  }

  /**
   * One asynchronous RMSProp step with the thread's gradient (in the game's view order):
   * g = alpha g + (1 - alpha) d^2;  theta = theta - lr d / sqrt(g + eps), mean squares that would
   * turn subnormal flushed to 0 ({@link VectorMath#rmsProp}).
   */
  public void apply(String game, float[] grad, double lr, double alpha, double epsilon) {
    int[] offsets = viewOffsets.get(game);
    int at = 0;
    for (int b = 0; b < offsets.length; b += 2) {
      VectorMath.rmsProp(offsets[b + 1], theta, meanSquare, offsets[b], grad, at, (float) alpha,
          (float) lr, (float) epsilon);
      at += offsets[b + 1];
    }
  }

  /** Scales {@code grad} in place so that its L2 norm is at most {@code maxNorm}; returns the norm. */
  public static double clipByNorm(float[] grad, double maxNorm) {
    double norm = Math.sqrt(VectorMath.sumOfSquares(grad, 0, grad.length));
    if (norm > maxNorm) {
      VectorMath.scale(grad, 0, grad.length, (float) (maxNorm / norm));
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
