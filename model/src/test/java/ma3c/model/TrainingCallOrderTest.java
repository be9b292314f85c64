package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training never replays a rollout: it acts step by step (the net keeps each step's
 * activations), asks value() for the bootstrap state, then back-propagates. The reference tests
 * check {@link A3CNet#gradients}, which replays the rollout first; the two paths must give the
 * same gradient and losses, and value() must leave the LSTM state (the next rollout's start)
 * alone.
 */
class TrainingCallOrderTest {
  private static final double VALUE_COEF = 0.5;
  private static final double BETA = 0.01;

  @ParameterizedTest(name = "{0} lstm={1} t_max={2} steps={3}")
  @CsvSource({"a3c, false, 5, 5", "ma3c-1, true, 20, 20", "ma3c-2, true, 5, 3"})
  void actingThenBootstrappingThenBackwardIsTheReplayedGradient(String architecture,
      boolean lstm, int tMax, int steps) {
    Architecture arch = Architecture.of(architecture);
    Map<String, Integer> games = arch == Architecture.A3C ? Map.of("breakout", 4)
        : Map.of("pong", 6, "breakout", 4);
    NetSpec spec = new NetSpec(arch, lstm, games);
    ParameterLayout layout = new ParameterLayout(spec);
    SplittableRandom random = new SplittableRandom(17L * tMax + steps);
    float[] theta = A3CNetReferenceTest.randomParameters(layout, random);
    Batch batch = A3CGraphGradientCheckTest.randomBatch(spec, steps, 4, random);
    byte[] next = A3CGraphGradientCheckTest.randomBatch(spec, 1, 4, random).observations()[0];

    A3CNet training = new A3CNet(layout, "breakout", tMax);
    training.loadFrom(theta);
    training.setState(toFloat(batch.h0()), toFloat(batch.c0()));
    training.beginRollout();
    for (int t = 0; t < steps; t++) {
      training.act(batch.observations()[t]);
    }
    float[][] afterActing = state(training);
    training.value(next);
    float[][] afterBootstrap = state(training);
    float[] grad = new float[training.size()];
    A3CNet.Losses losses = training.backward(steps, batch.actions(), batch.returns(),
        batch.advantages(), VALUE_COEF, BETA, grad);

    A3CNet replay = new A3CNet(layout, "breakout", tMax);
    replay.loadFrom(theta);
    float[] replayed = new float[replay.size()];
    A3CNet.Losses expected = replay.gradients(batch, replayed, VALUE_COEF, BETA);

    assertArrayEquals(afterActing[0], afterBootstrap[0], "value() left h as it was");
    assertArrayEquals(afterActing[1], afterBootstrap[1], "value() left c as it was");
    assertEquals(expected, losses, "loss terms");
    assertArrayEquals(replayed, grad, "gradient");
  }

  private static float[][] state(A3CNet net) {
    float[][] hc = new float[2][NetSpec.HIDDEN];
    net.state(hc[0], hc[1]);
    return hc;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }
}
