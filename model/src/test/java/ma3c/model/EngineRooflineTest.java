package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ma3c.model.EngineRoofline.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The roofline's FLOP and byte counts against hand-computed values for the net's shapes, and its
 * timing harness, which runs the per-layer methods with clock reads between them, against the
 * net's plain pass: the same gradient and losses, to the bit. No timings are checked.
 */
class EngineRooflineTest {
  @Test
  void denseFlopsAreTheShapesProducts() {
    // conv1: 16 filters over 20x20 outputs, each a dot of 4 frames x 8 x 8 (1 frame for the LSTM net).
    assertEquals(2.0 * 16 * 400 * 256, EngineRoofline.denseFlops(Phase.CONV1, 4, 6, 5));
    assertEquals(3_276_800.0, EngineRoofline.denseFlops(Phase.CONV1, 4, 6, 5));
    assertEquals(2.0 * 16 * 400 * 64, EngineRoofline.denseFlops(Phase.CONV1, 1, 6, 20));
    // conv2: 32 filters over 9x9 outputs, each a dot of 16 x 4 x 4.
    assertEquals(2.0 * 32 * 81 * 256, EngineRoofline.denseFlops(Phase.CONV2, 4, 6, 5));
    // fc: 2592 x 256; the LSTM: two 256 x 1024 products.
    assertEquals(1_327_104.0, EngineRoofline.denseFlops(Phase.FC, 4, 6, 5));
    assertEquals(1_048_576.0, EngineRoofline.denseFlops(Phase.LSTM, 1, 6, 20));
    assertEquals(2.0 * 256 * 7, EngineRoofline.denseFlops(Phase.HEADS, 4, 6, 5));
    // Backward: conv2 weight and input gradients, conv1 weight gradient only, fc both.
    assertEquals(1_327_104.0, EngineRoofline.denseFlops(Phase.CONV2_BACK, 4, 6, 5));
    assertEquals(1_327_104.0, EngineRoofline.denseFlops(Phase.CONV2_INPUT_BACK, 4, 6, 5));
    assertEquals(3_276_800.0, EngineRoofline.denseFlops(Phase.CONV1_BACK, 4, 6, 5));
    assertEquals(4.0 * 2592 * 256, EngineRoofline.denseFlops(Phase.FC_BACK, 4, 6, 5));
    assertEquals(4.0 * 256 * 7, EngineRoofline.denseFlops(Phase.HEADS_BACK, 4, 6, 5));
    // The LSTM at t_max 20: dh through Wh at 19 of 20 steps, the Wh gradient, Wx's gradient and dx.
    double perRollout = 2.0 * 256 * 1024 * 19 + 2.0 * 256 * 1024 * 20 + 2 * (2.0 * 256 * 1024 * 20);
    assertEquals(perRollout / 20, EngineRoofline.denseFlops(Phase.LSTM_BACK, 1, 6, 20), 1e-6);
    assertTrue(Double.isNaN(EngineRoofline.denseFlops(Phase.SYNC, 4, 6, 5)));
  }

  @ParameterizedTest(name = "lstm={0} t_max={1} rollouts={2}")
  @CsvSource({"false, 5, 1", "false, 5, 3", "true, 5, 3"})
  void theHarnessLeavesTheNetsResultsAsThePlainPass(boolean lstm, int tMax, int rollouts) {
    NetSpec spec = new NetSpec(Architecture.A3C, lstm, Map.of("pong", 6));
    ParameterLayout layout = new ParameterLayout(spec);
    float[] theta = layout.initialParameters(3);
    byte[][] observations = observations(spec, rollouts * tMax, new SplittableRandom(7));
    EngineRoofline.Result result = new EngineRoofline(layout, "pong", tMax)
        .measure(theta, observations, 0, 0.05);
    assertTrue(result.agentSteps() >= tMax);

    // The plain pass: act through the rollouts up to the last one timed (the LSTM state carries
    // over), then the backward pass of that one.
    A3CNet net = new A3CNet(layout, "pong", tMax);
    net.loadFrom(theta);
    net.resetState();
    for (int r = 0; r <= result.lastRollout(); r++) {
      net.beginRollout();
      for (int s = 0; s < tMax; s++) {
        net.act(observations[r * tMax + s]);
      }
    }
    EngineRoofline.Targets targets = EngineRoofline.targets(result.lastRollout(), tMax, 6);
    float[] grad = new float[net.size()];
    A3CNet.Losses losses = net.backward(tMax, targets.taken(), targets.returns(), targets.advantages(),
        0.5, 0.01, grad);
    assertArrayEquals(grad, result.gradient());
    assertEquals(losses, result.losses());

    List<String> phases = result.rows().stream().map(EngineRoofline.Row::phase).toList();
    assertEquals(lstm, phases.contains(Phase.LSTM.label()));
    for (EngineRoofline.Row row : result.rows()) {
      assertTrue(row.msPerStep() > 0, row.toString());
      assertTrue(Double.isNaN(row.denseFlops()) || row.flopsDone() <= row.denseFlops(), row.toString());
    }
    EngineRoofline.Row fc = result.rows().stream().filter(r -> r.phase().equals(Phase.FC.label()))
        .findFirst().orElseThrow();
    // Random pixels and initial weights leave some conv2 outputs at 0: the gemv skips their rows.
    assertTrue(fc.flopsDone() < fc.denseFlops() && fc.flopsDone() > 0, fc.toString());
    assertEquals(fc.flopsDone() * 2, fc.bytes(), 1e-6, "4 bytes of weights per multiply-add");

    EngineRoofline.Peaks peaks = EngineRoofline.measurePeaks(0.001, new long[] {48 << 10, 96 << 10, 192 << 10});
    String table = EngineRoofline.table(result.rows(), peaks);
    for (String phase : phases) {
      assertTrue(table.contains(phase + " "), phase + " in\n" + table);
    }
    assertTrue(!table.contains("NaN"), table);
  }

  @Test
  void rmsPropBytesCountZeroGradientVectorsApart() {
    NetSpec spec = new NetSpec(Architecture.A3C, false, Map.of("pong", 6));
    ParameterLayout layout = new ParameterLayout(spec);
    int n = layout.view("pong").stream().mapToInt(ParameterLayout.Block::size).sum();
    float[] grad = new float[n];
    assertEquals(16L * n, EngineRoofline.rmsPropBytes(layout, "pong", grad));
    Arrays.fill(grad, 1f);
    assertEquals(24L * n, EngineRoofline.rmsPropBytes(layout, "pong", grad));
  }

  @Test
  void thePeakKernelsGiveFigures() {
    EngineRoofline.Peaks peaks = EngineRoofline.measurePeaks(0.01, new long[] {48 << 10, 96 << 10, 192 << 10});
    assertTrue(peaks.fmaGflops() > 0 && Double.isFinite(peaks.fmaGflops()), peaks.toString());
    assertEquals(3, peaks.triads().size());
    for (EngineRoofline.Bandwidth b : peaks.triads()) {
      assertTrue(b.gbPerSecond() > 0 && Double.isFinite(b.gbPerSecond()), b.toString());
      assertTrue(b.readGbPerSecond() > 0 && Double.isFinite(b.readGbPerSecond()), b.toString());
    }
  }

  static byte[][] observations(NetSpec spec, int count, SplittableRandom random) {
    byte[][] observations = new byte[count][spec.frames() * NetSpec.SIZE * NetSpec.SIZE];
    for (byte[] o : observations) {
      for (int i = 0; i < o.length; i++) {
        // Dark background with bright patches, like a game screen.
        o[i] = (byte) (random.nextInt(8) == 0 ? 200 + random.nextInt(56) : random.nextInt(30));
      }
    }
    return observations;
  }
}
