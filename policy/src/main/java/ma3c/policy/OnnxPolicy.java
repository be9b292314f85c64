package ma3c.policy;

import ma3c.model.NetSpec;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An exported policy run with ONNX Runtime, without DL4J. Thread-safe: each call builds its own
 * input tensors, and ORT sessions may be run concurrently.
 */
public final class OnnxPolicy implements AutoCloseable {
  /** One decision, and the recurrent state to pass with the next observation. */
  public record Decision(int action, float[] probs, float value, float[] h, float[] c) {}

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final ModelMetadata metadata;
  private final Path file;

  public OnnxPolicy(Path file) throws OrtException {
    this.file = file;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      this.session = env.createSession(file.toString(), options);
    }
    try {
      this.metadata = ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata());
    } catch (RuntimeException e) {
      session.close();
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  public Path file() {
    return file;
  }

  /** Observation bytes per decision: frames x 84 x 84. */
  public int observationSize() {
    return metadata.framesStacked() * NetSpec.SIZE * NetSpec.SIZE;
  }

  public int stateSize() {
    return metadata.lstm() ? NetSpec.HIDDEN : 0;
  }

  /**
   * Decides on {@code observation} from state (h, c) (null or empty: zeros). Throws
   * IllegalArgumentException for an observation or state of the wrong size.
   */
  public Decision act(byte[] observation, float[] h, float[] c, boolean greedy,
      SplittableRandom random) throws OrtException {
    if (observation.length != observationSize()) {
      throw new IllegalArgumentException("observation has " + observation.length + " bytes; "
          + metadata.game() + " takes " + observationSize() + " (" + metadata.framesStacked()
          + " x 84 x 84 uint8)");
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("obs", OnnxTensor.createTensor(env, ByteBuffer.wrap(observation),
          new long[] {1, metadata.framesStacked(), NetSpec.SIZE, NetSpec.SIZE}, OnnxJavaType.UINT8));
      if (metadata.lstm()) {
        inputs.put("h_in", OnnxTensor.createTensor(env, new float[][] {state("h", h)}));
        inputs.put("c_in", OnnxTensor.createTensor(env, new float[][] {state("c", c)}));
      }
      try (OrtSession.Result r = session.run(inputs)) {
        float[] probs = ((float[][]) r.get("probs").orElseThrow().getValue())[0];
        float value = ((float[]) r.get("value").orElseThrow().getValue())[0];
        float[] hOut = metadata.lstm() ? ((float[][]) r.get("h_out").orElseThrow().getValue())[0] : new float[0];
        float[] cOut = metadata.lstm() ? ((float[][]) r.get("c_out").orElseThrow().getValue())[0] : new float[0];
        return new Decision(greedy ? ActionSampling.greedy(probs) : ActionSampling.sample(probs, random), probs, value, hOut, cOut);
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[] state(String name, float[] s) {
    if (s == null || s.length == 0) {
      return new float[NetSpec.HIDDEN];
    }
    if (s.length != NetSpec.HIDDEN) {
      throw new IllegalArgumentException(name + " has " + s.length + " values; the state size is "
          + NetSpec.HIDDEN);
    }
    return s;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
