package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine's gradients and loss terms against the SameDiff graph (itself checked against
 * finite differences in {@link A3CGraphGradientCheckTest}), computed in double from the same
 * float parameters, on random parameters and rollouts: every architecture, FF and LSTM, both
 * t_max, rollouts cut short by an episode end, LSTM rollouts from a non-zero state.
 */
class A3CNetReferenceTest {
  private static final double VALUE_COEF = 0.5;
  private static final double BETA = 0.01;

  @ParameterizedTest(name = "{0} lstm={1} t_max={2} steps={3}")
  @CsvSource({
      "a3c, false, 5, 5", "ma3c-2, false, 5, 3", "ma3c-1, false, 20, 20", "ma3c-2, false, 20, 13",
      "a3c, true, 5, 5", "ma3c-1, true, 20, 20", "ma3c-1, true, 20, 7", "ma3c-2, true, 5, 2",
      "ma3c-2, true, 20, 20"})
  void gradientsMatchSameDiff(String architecture, boolean lstm, int tMax, int steps) {
    Architecture arch = Architecture.of(architecture);
    Map<String, Integer> games = arch == Architecture.A3C ? Map.of("breakout", 4)
        : Map.of("pong", 6, "breakout", 4);
    NetSpec spec = new NetSpec(arch, lstm, games);
    ParameterLayout layout = new ParameterLayout(spec);
    SplittableRandom random = new SplittableRandom(tMax * 31L + steps);
    A3CNet net = new A3CNet(layout, "breakout", tMax);
    float[] theta = randomParameters(layout, random);
    net.loadFrom(theta);
    Batch batch = A3CGraphGradientCheckTest.randomBatch(spec, steps, 4, random);

    float[] grad = new float[net.size()];
    A3CNet.Losses losses = net.gradients(batch, grad, VALUE_COEF, BETA);

    A3CGraph reference = new A3CGraph(layout, "breakout", DataType.DOUBLE, tMax, VALUE_COEF, BETA);
    reference.loadFrom(theta);
    Map<String, INDArray> expected = reference.gradientsByName(batch);
    List<String> names = reference.parameterNames();
    for (String name : names) {
      INDArray want = expected.get(name);
      int at = net.offset(name);
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < want.length(); i++) {
        double w = want.data().getDouble(i);
        double d = grad[at + i] - w;
        diff += d * d;
        norm += w * w;
      }
      double relative = Math.sqrt(diff) / Math.max(1e-12, Math.sqrt(norm));
      assertTrue(norm > 0, name + ": the reference gradient is zero, the check would be empty");
      assertTrue(relative <= 1e-4, name + ": relative error " + relative);
    }
    double total = reference.loss(batch);
    assertEquals(total, losses.total(), 1e-4 * Math.max(1, Math.abs(total)), "loss");
  }

  /** Off the initialisation: every tensor random and large enough that no term vanishes. */
  static float[] randomParameters(ParameterLayout layout, SplittableRandom random) {
    float[] theta = new float[layout.size()];
    for (ParameterLayout.Block b : layout.blocks()) {
      String name = b.localName();
      double scale = name.startsWith("pi_") || name.endsWith("_b") ? 0.3
          : name.startsWith("lstm") ? 0.06 : name.startsWith("fc") ? 0.03 : 0.08;
      for (int i = 0; i < b.size(); i++) {
        theta[b.offset() + i] = (float) (random.nextGaussian() * scale);
      }
    }
    return theta;
  }
}
