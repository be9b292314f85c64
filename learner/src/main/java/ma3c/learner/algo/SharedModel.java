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

  /** Fresh parameters, and RMSProp's mean squares all at {@code rmsInit}. */
  public static SharedModel fresh(ParameterLayout layout, long seed, double rmsInit) {
    float[] meanSquare = new float[layout.size()];
    java.util.Arrays.fill(meanSquare, (float) rmsInit);
    return new SharedModel(layout, layout.initialParameters(seed), meanSquare);
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** theta' = theta, phi' = phi_k: a thread's local copy for its game. */
  public void copyTo(A3CNet local) {
    local.loadFrom(theta);
  }

  /**
   * One asynchronous RMSProp step with the thread's gradient (in the game's view order) times
   * {@code gradScale} (the clipping factor): g = alpha g + (1 - alpha) d^2;
   * theta = theta - lr d / sqrt(g + eps), mean squares that would turn subnormal flushed to 0
   * ({@link VectorMath#rmsProp}).
   */
  public void apply(String game, float[] grad, float gradScale, double lr, double alpha,
      double epsilon) {
    int[] offsets = viewOffsets.get(game);
    int at = 0;
    for (int b = 0; b < offsets.length; b += 2) {
      VectorMath.rmsProp(offsets[b + 1], theta, meanSquare, offsets[b], grad, at, gradScale,
          (float) alpha, (float) lr, (float) epsilon);
      at += offsets[b + 1];
    }
  }

  /**
   * A gradient's L2 norm, the factor that brings it down to the clip norm (1 if within), and the
   * norm of each parameter block (in view order).
   */
  public record Clip(double norm, float scale, double[] blockNorms) {
    public boolean clipped() {
      return scale < 1f;
    }
  }

  /** Global norm clipping: the norm of {@code grad} (in game's view order) and the factor for {@link #apply}. */
  public Clip clip(String game, float[] grad, double maxNorm) {
    int[] offsets = viewOffsets.get(game);
    double[] blocks = new double[offsets.length / 2];
    double total = 0;
    int at = 0;
    for (int b = 0; b < blocks.length; b++) {
      double squares = VectorMath.sumOfSquares(grad, at, offsets[2 * b + 1]);
      blocks[b] = Math.sqrt(squares);
      total += squares;
      at += offsets[2 * b + 1];
    }
    double norm = Math.sqrt(total);
    return new Clip(norm, norm > maxNorm ? (float) (maxNorm / norm) : 1f, blocks);
  }

  /** Each game's parameter blocks, in view order (the order of {@link Clip#blockNorms}). */
  public Map<String, List<String>> blockNames() {
    Map<String, List<String>> names = new java.util.LinkedHashMap<>();
    for (String game : layout.spec().gameNames()) {
      names.put(game, layout.view(game).stream().map(ParameterLayout.Block::localName).toList());
    }
    return names;
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
