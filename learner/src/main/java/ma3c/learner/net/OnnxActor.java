package ma3c.learner.net;

import ma3c.policy.NetSpec;
import ma3c.policy.ParameterLayout;
import ma3c.policy.OnnxPolicyGraph;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Batch-1 action selection for one actor thread with ONNX Runtime, on the thread's current
 * parameters: the session is built once from {@link OnnxPolicyGraph#withParameterInputs}, and its
 * parameter inputs are tensors over the very native memory of the thread's SameDiff variables, so
 * a parameter sync is seen by both without another copy. Not thread-safe.
 */
public final class OnnxActor implements AutoCloseable {
  /** One step's outputs: action probabilities and the value; the LSTM state is kept inside. */
  public record Output(float[] probs, float value) {}

  private final OrtSession session;
  private final Map<String, OnnxTensor> inputs = new HashMap<>();
  private final ByteBuffer obs;
  private final FloatBuffer h;
  private final FloatBuffer c;
  private final boolean lstm;

  public OnnxActor(ParameterLayout layout, String game, A3CGraph parameters) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    NetSpec spec = layout.spec();
    this.lstm = spec.lstm();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // One thread: the parallelism is one actor-learner per core.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      session = env.createSession(
          OnnxPolicyGraph.withParameterInputs(layout, game).toByteArray(), options);
    }
    for (ParameterLayout.Block b : layout.view(game)) {
      long[] shape = java.util.Arrays.stream(b.shape()).asLongStream().toArray();
      inputs.put(b.localName(),
          OnnxTensor.createTensor(env, parameters.parameterBuffer(b.localName()), shape));
    }
    int pixels = spec.frames() * NetSpec.SIZE * NetSpec.SIZE;
    obs = ByteBuffer.allocateDirect(pixels).order(ByteOrder.nativeOrder());
    inputs.put("obs", OnnxTensor.createTensor(env, obs,
        new long[] {1, spec.frames(), NetSpec.SIZE, NetSpec.SIZE}, OnnxJavaType.UINT8));
    h = direct(NetSpec.HIDDEN);
    c = direct(NetSpec.HIDDEN);
    if (lstm) {
      inputs.put("h_in", OnnxTensor.createTensor(env, h, new long[] {1, NetSpec.HIDDEN}));
      inputs.put("c_in", OnnxTensor.createTensor(env, c, new long[] {1, NetSpec.HIDDEN}));
    }
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Runs one step on {@code observation} (frames x 84 x 84 uint8); advances the LSTM state. */
  public Output step(byte[] observation) throws OrtException {
    obs.clear();
    obs.put(observation);
    try (OrtSession.Result result = session.run(inputs)) {
      float[] probs = ((float[][]) result.get("probs").orElseThrow().getValue())[0];
      float value = ((float[]) result.get("value").orElseThrow().getValue())[0];
      if (lstm) {
        h.put(0, ((float[][]) result.get("h_out").orElseThrow().getValue())[0]);
        c.put(0, ((float[][]) result.get("c_out").orElseThrow().getValue())[0]);
      }
      return new Output(probs, value);
    }
  }

  /** V(observation) from the current state, leaving the LSTM state as it was (for bootstrapping). */
  public float value(byte[] observation) throws OrtException {
    if (!lstm) {
      return step(observation).value();
    }
    float[] hSaved = new float[NetSpec.HIDDEN];
    float[] cSaved = new float[NetSpec.HIDDEN];
    h.get(0, hSaved);
    c.get(0, cSaved);
    float value = step(observation).value();
    h.put(0, hSaved);
    c.put(0, cSaved);
    return value;
  }

  /** Copies the LSTM state into {@code hOut} and {@code cOut} (the start of a rollout). */
  public void state(double[] hOut, double[] cOut) {
    for (int i = 0; i < NetSpec.HIDDEN; i++) {
      hOut[i] = h.get(i);
      cOut[i] = c.get(i);
    }
  }

  /** Zeroes the LSTM state (a new episode). */
  public void resetState() {
    for (int i = 0; i < NetSpec.HIDDEN; i++) {
      h.put(i, 0f);
      c.put(i, 0f);
    }
  }

  @Override
  public void close() throws OrtException {
    for (OnnxTensor t : inputs.values()) {
      t.close();
    }
    session.close();
  }
}
