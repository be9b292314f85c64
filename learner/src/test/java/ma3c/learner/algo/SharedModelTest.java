package ma3c.learner.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.Test;

class SharedModelTest {
  private final ParameterLayout layout = new ParameterLayout(
      new NetSpec(Architecture.MA3C_2, false, Map.of("pong", 6, "breakout", 4)));

  @Test
  void rmsPropStepMatchesTheFormula() {
    float[] theta = new float[layout.size()];
    float[] meanSquare = new float[layout.size()];
    theta[0] = 1f;
    meanSquare[0] = 0.5f;
    SharedModel model = new SharedModel(layout, theta, meanSquare);
    float[] grad = new float[model.viewSize("pong")];
    grad[0] = 2f;
    model.apply("pong", grad, 0.5f, 0.1, 0.9, 0.1);
    double g = 0.9 * 0.5 + 0.1 * 1; // the gradient scaled by 0.5: d = 1
    assertEquals(g, model.meanSquareSnapshot()[0], 1e-6);
    assertEquals(1 - 0.1 * 1 / Math.sqrt(g + 0.1), model.thetaSnapshot()[0], 1e-6);
  }

  @Test
  void aGameUpdatesTheTrunkAndItsOwnHeadsButNotTheOtherGamesHeads() {
    SharedModel model = SharedModel.fresh(layout, 3, 0);
    float[] grad = new float[model.viewSize("breakout")];
    java.util.Arrays.fill(grad, 1f);
    java.util.Set<String> moved = movedByOneStep(model, "breakout", grad);
    for (ParameterLayout.Block b : layout.blocks()) {
      assertEquals(!"pong".equals(b.owner()), moved.contains(b.globalName()), b.globalName());
    }
  }

  @Test
  void frozenBlocksNeverMoveAndLeaveTheClippingNorm() {
    SharedModel model = new SharedModel(layout, layout.initialParameters(3),
        new float[layout.size()], Freeze.TRUNK);
    float[] grad = new float[model.viewSize("pong")];
    java.util.Arrays.fill(grad, 1f);
    java.util.Set<String> moved = movedByOneStep(model, "pong", grad);
    for (ParameterLayout.Block b : layout.blocks()) {
      assertEquals("pong".equals(b.owner()), moved.contains(b.globalName()), b.globalName());
    }
    float[] headOnly = new float[grad.length];
    headOnly[0] = 100; // conv1_w: frozen, left out of the norm
    headOnly[grad.length - 1] = 4; // v_b
    SharedModel.Clip clip = model.clip("pong", headOnly, 40);
    assertEquals(4, clip.norm(), 1e-6);
    assertEquals(100, clip.blockNorms()[0], 1e-6, "block norms still report frozen blocks");
  }

  @Test
  void freezingConvLeavesTheFullyConnectedLayerTraining() {
    SharedModel model = new SharedModel(layout, layout.initialParameters(3),
        new float[layout.size()], Freeze.CONV);
    float[] grad = new float[model.viewSize("pong")];
    java.util.Arrays.fill(grad, 1f);
    java.util.Set<String> moved = movedByOneStep(model, "pong", grad);
    for (ParameterLayout.Block b : layout.blocks()) {
      boolean expected = !b.localName().startsWith("conv") && !"breakout".equals(b.owner());
      assertEquals(expected, moved.contains(b.globalName()), b.globalName());
    }
  }

  /** The blocks that one RMSProp step of {@code game} with {@code grad} changed. */
  private java.util.Set<String> movedByOneStep(SharedModel model, String game, float[] grad) {
    float[] before = model.thetaSnapshot();
    model.apply(game, grad, 1f, 0.01, 0.99, 0.1);
    float[] after = model.thetaSnapshot();
    java.util.Set<String> moved = new java.util.HashSet<>();
    for (ParameterLayout.Block b : layout.blocks()) {
      for (int i = 0; i < b.size(); i++) {
        if (before[b.offset() + i] != after[b.offset() + i]) {
          moved.add(b.globalName());
        }
      }
    }
    return moved;
  }

  @Test
  void clippingScalesOnlyLargeGradients() {
    SharedModel model = SharedModel.fresh(layout, 3, 0);
    float[] grad = new float[model.viewSize("pong")];
    grad[0] = 3; // conv1_w
    grad[grad.length - 1] = 4; // v_b
    SharedModel.Clip small = model.clip("pong", grad, 40);
    assertEquals(5, small.norm(), 1e-6);
    assertEquals(1f, small.scale());
    assertEquals(3, small.blockNorms()[0], 1e-6);
    assertEquals(4, small.blockNorms()[small.blockNorms().length - 1], 1e-6);
    grad[0] = 30;
    grad[grad.length - 1] = 40;
    SharedModel.Clip large = model.clip("pong", grad, 40);
    assertEquals(50, large.norm(), 1e-6);
    assertEquals(0.8f, large.scale(), 1e-6f);
  }

  /**
   * An update as training makes it: the gradient scaled down to the clip norm, and the step taken
   * at the learning rate annealed to the frames played (clip() and learningRateAt() are tested
   * alone; this is the wiring).
   */
  @Test
  void anUpdateClipsTheGradientAndStepsAtTheAnnealedLearningRate() {
    float[] meanSquare = new float[layout.size()];
    java.util.Arrays.fill(meanSquare, 1f);
    SharedModel model = new SharedModel(layout, new float[layout.size()], meanSquare);
    float[] grad = new float[model.viewSize("pong")];
    grad[0] = 60; // conv1_w
    grad[grad.length - 1] = 80; // v_b: the norm is 100, clipped to 40
    A3CConfig config = new A3CConfig(new A3CConfig.Rollout(5, 0.99, 1),
        new A3CConfig.Loss(0.01, 0.5, 40), new A3CConfig.RmsProp(0.1, 0.9, 0.01, 1),
        new A3CConfig.Budget(1000, 0));
    SharedModel.Clip clip = model.update("pong", grad, config, 750);
    assertEquals(100, clip.norm(), 1e-4);
    java.util.List<ParameterLayout.Block> view = layout.view("pong");
    int[] at = {view.get(0).offset(), view.get(view.size() - 1).offset()};
    double lr = 0.1 * (1 - 750 / 1000.0);
    for (int k = 0; k < 2; k++) {
      double d = 0.4 * (k == 0 ? 60 : 80);
      double g = 0.9 * 1 + 0.1 * d * d;
      assertEquals(g, model.meanSquareSnapshot()[at[k]], 1e-3 * g, "mean square " + k);
      assertEquals(-lr * d / Math.sqrt(g + 0.01), model.thetaSnapshot()[at[k]], 1e-6, "step " + k);
    }
  }

  @Test
  void zeroGradientsOnlyDecayTheMeanSquareAndTinyOnesAreFlushed() {
    float[] theta = new float[layout.size()];
    float[] meanSquare = new float[layout.size()];
    java.util.Arrays.fill(theta, 1f);
    java.util.Arrays.fill(meanSquare, 0.5f);
    meanSquare[40] = 1e-30f; // decays below the flush threshold
    SharedModel model = new SharedModel(layout, theta, meanSquare);
    float[] grad = new float[model.viewSize("pong")];
    grad[33] = 1f; // one non-zero gradient among the first vector-lengths
    model.apply("pong", grad, 1f, 0.1, 0.9, 0.1);
    float[] ms = model.meanSquareSnapshot();
    float[] after = model.thetaSnapshot();
    assertEquals(0.45f, ms[0], 1e-7f);
    assertEquals(1f, after[0]);
    assertEquals(0.9 * 0.5 + 0.1, ms[33], 1e-6);
    assertEquals(1 - 0.1 / Math.sqrt(0.55 + 0.1), after[33], 1e-6);
    assertEquals(0f, ms[40], "subnormal-bound mean square flushed to 0");
  }
}
