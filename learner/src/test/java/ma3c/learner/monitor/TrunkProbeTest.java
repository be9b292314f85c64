package ma3c.learner.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import ma3c.learner.algo.SharedModel;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.Test;

class TrunkProbeTest {
  private final ParameterLayout layout = new ParameterLayout(
      new NetSpec(Architecture.A3C, false, Map.of("g", 2)));

  @Test
  void countsTheFcUnitsThatAnyProbeStateActivatesAndTheRangeOfV() {
    float[] theta = new float[layout.size()];
    ParameterLayout.Block fcB = block("fc_b");
    // Weights 0: the fc output is its bias. 64 units on, the rest off.
    for (int i = 0; i < NetSpec.HIDDEN; i++) {
      theta[fcB.offset() + i] = i < 64 ? 1f : -1f;
    }
    theta[block("v_b").offset()] = 0.7f;
    SharedModel model = new SharedModel(layout, theta, new float[layout.size()]);
    TrunkProbe probe = new TrunkProbe(List.of("g"));
    assertTrue(probe.measure(model).isEmpty(), "no states yet: nothing to report");

    byte[] dark = new byte[4 * NetSpec.SIZE * NetSpec.SIZE];
    byte[] bright = dark.clone();
    java.util.Arrays.fill(bright, (byte) 255);
    for (int i = 0; i < TrunkProbe.EVERY; i++) {
      probe.offer("g", dark);
    }
    for (int i = 0; i < TrunkProbe.EVERY; i++) {
      probe.offer("g", bright);
    }
    TrunkProbe.Health h = probe.measure(model).get("g");
    assertEquals(2, h.states());
    assertEquals(0.25, h.liveUnits(), 1e-9);
    assertEquals(0, h.valueSpread(), 1e-9, "V is the bias on every state");

    // A state-dependent V: pixel sums through conv1 filter 0, conv2 filter 0, fc unit 0, to V.
    java.util.Arrays.fill(theta, block("conv1_w").offset(), block("conv1_w").offset() + 4 * 64, 0.01f);
    theta[block("conv2_w").offset()] = 1f;
    theta[block("fc_w").offset()] = 1f;
    theta[block("v_w").offset()] = 1f;
    // All-255 input: conv1 filter 0 = 256 * 0.01 = 2.56 -> conv2 2.56 -> unit 0 = 1 + 2.56.
    assertEquals(2.56, probe.measure(model).get("g").valueSpread(), 1e-4);
  }

  private ParameterLayout.Block block(String localName) {
    return layout.view("g").stream().filter(b -> b.localName().equals(localName)).findFirst()
        .orElseThrow();
  }
}
