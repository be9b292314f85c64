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
 * write without locks. Blocks under a {@link Freeze} level are never updated, and their gradients
 * do not count in the clipping norm.
 */
public final class SharedModel {
  private final ParameterLayout layout;
  private final float[] theta;
  private final float[] meanSquare;
  /** Per game, for each block of its view: offset, size, and 1 if the block is frozen. */
  private final Map<String, int[]> viewOffsets = new HashMap<>();
  private final Freeze freeze;

  public SharedModel(ParameterLayout layout, float[] theta, float[] meanSquare) {
    this(layout, theta, meanSquare, Freeze.NONE);
  }

  public SharedModel(ParameterLayout layout, float[] theta, float[] meanSquare, Freeze freeze) {
    if (theta.length != layout.size() || meanSquare.length != layout.size()) {
      throw new IllegalArgumentException("parameters of size " + theta.length + "/"
          + meanSquare.length + " do not fit the layout's " + layout.size());
    }
    this.layout = layout;
    this.theta = theta;
    this.meanSquare = meanSquare;
    this.freeze = freeze;
    for (String game : layout.spec().gameNames()) {
      List<ParameterLayout.Block> view = layout.view(game);
      int[] offsets = new int[view.size() * 3];
      for (int i = 0; i < view.size(); i++) {
        offsets[3 * i] = view.get(i).offset();
        offsets[3 * i + 1] = view.get(i).size();
        offsets[3 * i + 2] = freeze.covers(view.get(i)) ? 1 : 0;
      }
      viewOffsets.put(game, offsets);
    }
  }

  /** Fresh parameters, and RMSProp's mean squares all at {@code rmsInit}. */
  public static SharedModel fresh(ParameterLayout layout, long seed, double rmsInit) {
    return startingFrom(layout, layout.initialParameters(seed), rmsInit, Freeze.NONE);
  }

  /** Given starting parameters (a warm start), RMSProp's mean squares all at {@code rmsInit}. */
  public static SharedModel startingFrom(ParameterLayout layout, float[] theta, double rmsInit,
      Freeze freeze) {
    float[] meanSquare = new float[layout.size()];
    java.util.Arrays.fill(meanSquare, (float) rmsInit);
    return new SharedModel(layout, theta, meanSquare, freeze);
  }

  public ParameterLayout layout() {
    return layout;
  }

  public Freeze freeze() {
    return freeze;
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
    for (int b = 0; b < offsets.length; b += 3) {
      if (offsets[b + 2] == 0) {
        VectorMath.rmsProp(offsets[b + 1], theta, meanSquare, offsets[b], grad, at, gradScale,
            (float) alpha, (float) lr, (float) epsilon);
      }
      at += offsets[b + 1];
    }
  }

  /**
   * One update of {@code game}'s view with a thread's gradient: clipped to the clip norm, then an
   * asynchronous RMSProp step at the learning rate of {@code frames}. A gradient that is not
   * finite is refused: applying it would make every shared parameter NaN.
   */
  public Clip update(String game, float[] grad, A3CConfig config, long frames) {
    Clip clip = clip(game, grad, config.loss().gradClipNorm());
    if (!Double.isFinite(clip.norm())) {
      throw new TrainingDiverged(game + ": the gradient is not finite (norm " + clip.norm()
          + ") at " + frames + " frames; lower --lr or --clip-norm");
    }
    apply(game, grad, clip.scale(), config.learningRateAt(frames), config.rmsProp().alpha(),
        config.rmsProp().epsilon());
    return clip;
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

  /**
   * Global norm clipping: the norm of {@code grad} (in game's view order, frozen blocks left out)
   * and the factor for {@link #apply}; the block norms include the frozen blocks.
   */
  public Clip clip(String game, float[] grad, double maxNorm) {
    int[] offsets = viewOffsets.get(game);
    double[] blocks = new double[offsets.length / 3];
    double total = 0;
    int at = 0;
    for (int b = 0; b < blocks.length; b++) {
      double squares = VectorMath.sumOfSquares(grad, at, offsets[3 * b + 1]);
      blocks[b] = Math.sqrt(squares);
      if (offsets[3 * b + 2] == 0) {
        total += squares;
      }
      at += offsets[3 * b + 1];
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
    for (int b = 1; b < offsets.length; b += 3) {
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
