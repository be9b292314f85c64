package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ma3c.model.onnx.OnnxPolicyGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training engine's acting forward against the SameDiff forward and the exported ONNX graph
 * (parameters baked in, run by ONNX Runtime) on random parameters and inputs, step by step over
 * a 20-step sequence that starts from a non-zero LSTM state: all three must match within 1e-4.
 */
class OnnxParityTest {
  private static final int STEPS = 20;

  @ParameterizedTest
  @CsvSource({"false,ma3c-1", "false,ma3c-2", "true,ma3c-1", "true,ma3c-2"})
  void onnxRuntimeMatchesSameDiff(boolean lstm, String architecture) throws Exception {
    NetSpec spec = new NetSpec(Architecture.of(architecture), lstm, Map.of("pong", 6, "breakout", 4));
    ParameterLayout layout = new ParameterLayout(spec);
    float[] theta = layout.initialParameters(7);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (random.nextGaussian() * 0.02); // off the init: biases non-zero too
    }
    A3CGraph graph = new A3CGraph(layout, "breakout", DataType.FLOAT, STEPS, 0.5, 0.01);
    graph.loadFrom(theta);
    Batch batch = A3CGraphGradientCheckTest.randomBatch(spec, STEPS, 4, random);
    Map<String, INDArray> expected = graph.forward(batch);

    A3CNet engine = new A3CNet(layout, "breakout", STEPS);
    engine.loadFrom(theta);
    float[] h0 = toFloat(batch.h0());
    float[] c0 = toFloat(batch.c0());
    engine.setState(h0, c0);
    engine.beginRollout();
    try (ExportedRunner exported = new ExportedRunner(layout, theta, lstm, h0, c0)) {
      for (int t = 0; t < STEPS; t++) {
        A3CNet.Output acting = engine.act(batch.observations()[t]);
        float[][] baked = exported.step(batch.observations()[t]);
        for (int a = 0; a < 4; a++) {
          double want = expected.get("probs").getDouble(t, a);
          assertEquals(want, acting.probs()[a], 1e-4, "acting probs, step " + t);
          assertEquals(want, baked[0][a], 1e-4, "exported probs, step " + t);
        }
        double value = expected.get("value").getDouble(t);
        assertEquals(value, acting.value(), 1e-4, "acting value, step " + t);
        assertEquals(value, baked[1][0], 1e-4, "exported value, step " + t);
      }
    }
  }

  private static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** Runs the self-contained exported graph, carrying the LSTM state by hand. */
  private static final class ExportedRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final boolean lstm;
    private float[][] h = new float[1][NetSpec.HIDDEN];
    private float[][] c = new float[1][NetSpec.HIDDEN];

    ExportedRunner(ParameterLayout layout, float[] theta, boolean lstm, float[] h0, float[] c0)
        throws Exception {
      this.lstm = lstm;
      h[0] = h0.clone();
      c[0] = c0.clone();
      session = env.createSession(OnnxPolicyGraph.withParameters(layout, "breakout", theta, Map.of())
          .toByteArray(), new OrtSession.SessionOptions());
    }

    float[][] step(byte[] observation) throws Exception {
      Map<String, OnnxTensor> in = new HashMap<>();
      int frames = observation.length / (NetSpec.SIZE * NetSpec.SIZE);
      in.put("obs", OnnxTensor.createTensor(env, ByteBuffer.wrap(observation),
          new long[] {1, frames, NetSpec.SIZE, NetSpec.SIZE}, ai.onnxruntime.OnnxJavaType.UINT8));
      if (lstm) {
        in.put("h_in", OnnxTensor.createTensor(env, h));
        in.put("c_in", OnnxTensor.createTensor(env, c));
      }
      try (OrtSession.Result r = session.run(in)) {
        if (lstm) {
          h = (float[][]) r.get("h_out").orElseThrow().getValue();
          c = (float[][]) r.get("c_out").orElseThrow().getValue();
        }
        return new float[][] {((float[][]) r.get("probs").orElseThrow().getValue())[0],
            (float[]) r.get("value").orElseThrow().getValue()};
      } finally {
        in.values().forEach(OnnxTensor::close);
      }
    }

    @Override
    public void close() throws Exception {
      session.close();
    }
  }
}
