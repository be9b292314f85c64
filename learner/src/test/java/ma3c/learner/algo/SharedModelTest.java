package ma3c.learner.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
    model.apply("pong", grad, 0.1, 0.9, 0.1);
    double g = 0.9 * 0.5 + 0.1 * 4; // 0.85
    assertEquals(g, model.meanSquareSnapshot()[0], 1e-6);
    assertEquals(1 - 0.1 * 2 / Math.sqrt(g + 0.1), model.thetaSnapshot()[0], 1e-6);
  }

  @Test
  void aGameUpdatesTheTrunkAndItsOwnHeadsButNotTheOtherGamesHeads() {
    SharedModel model = SharedModel.fresh(layout, 3);
    float[] before = model.thetaSnapshot();
    float[] grad = new float[model.viewSize("breakout")];
    java.util.Arrays.fill(grad, 1f);
    model.apply("breakout", grad, 0.01, 0.99, 0.1);
    float[] after = model.thetaSnapshot();
    for (ParameterLayout.Block b : layout.blocks()) {
      boolean touched = false;
      for (int i = 0; i < b.size(); i++) {
        touched |= before[b.offset() + i] != after[b.offset() + i];
      }
      assertEquals(!"pong".equals(b.owner()), touched, b.globalName());
    }
  }

  @Test
  void clipByNormScalesOnlyLargeGradients() {
    float[] small = {3, 4};
    assertEquals(5, SharedModel.clipByNorm(small, 40), 1e-6);
    assertArrayEquals(new float[] {3, 4}, small);
    float[] large = {30, 40};
    assertEquals(50, SharedModel.clipByNorm(large, 40), 1e-6);
    assertArrayEquals(new float[] {24, 32}, large, 1e-5f);
    assertNotEquals(0, large[0]);
  }
}
