package ma3c.model.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ma3c.model.ActionSampling;

/**
 * An exported policy run with ONNX Runtime, without DL4J. Thread-safe: each call builds its own
 * input tensors, and ORT sessions may be run concurrently.
 */
public final class OnnxPolicy implements AutoCloseable {
  /** One decision, and the recurrent state to pass with the next observation. */
  public record Decision(int action, float[] probs, float value, float[] h, float[] c) {}

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private final OrtSession session;
  private final ModelMetadata metadata;
  private final GraphShapes shapes;
  private final String fileName;

  /** Reads {@code file} whole and checks it; see {@link #OnnxPolicy(String, byte[])}. */
  public OnnxPolicy(Path file) throws IOException, ModelRefusedException {
    this(file.getFileName().toString(), Files.readAllBytes(file));
  }

  /**
   * The policy in a model file's whole content. Refuses a file that is not a complete ONNX model
   * (truncated, corrupt), does not match its checksum (parts of two versions: a file read while it
   * was rewritten in place), has no MA3C metadata, stores NaN/Inf parameters, or whose metadata
   * disagree with its graph.
   */
  public OnnxPolicy(String fileName, byte[] bytes) throws ModelRefusedException {
    this.fileName = fileName;
    ModelProto proto = parse(bytes);
    // Before the metadata: those of a file caught mid-write belong to another version.
    if (!ModelChecksum.isWhole(proto)) {
      throw new ModelRefusedException(null, "its content does not match its checksum (" + ModelChecksum.KEY
          + "): a file read while it was being rewritten in place, or changed since it was exported");
    }
    this.metadata = metadata(proto);
    String bad = FiniteParameters.firstNonFinite(proto.getGraph()).orElse(null);
    if (bad != null) {
      throw new ModelRefusedException(metadata.game(), "its parameters are not all finite (" + bad
          + "); the training run that exported it has likely diverged");
    }
    this.session = session(bytes, metadata.game());
    try {
      this.shapes = GraphShapes.of(session, metadata);
    } catch (ModelRefusedException e) {
      closeQuietly(session);
      throw e;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      throw new ModelRefusedException(metadata.game(), "ONNX Runtime cannot describe its graph", e);
    }
  }

  private static ModelProto parse(byte[] bytes) throws ModelRefusedException {
    try {
      return ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelRefusedException(null, "not a complete ONNX model (truncated or corrupt)", e);
    }
  }

  private static ModelMetadata metadata(ModelProto proto) throws ModelRefusedException {
    Map<String, String> properties = new LinkedHashMap<>();
    for (StringStringEntryProto p : proto.getMetadataPropsList()) {
      properties.put(p.getKey(), p.getValue());
    }
    try {
      return ModelMetadata.fromProperties(properties);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(null, e.getMessage(), e);
    }
  }

  private static OrtSession session(byte[] bytes, String game) throws ModelRefusedException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return ENV.createSession(bytes, options);
    } catch (OrtException e) {
      throw new ModelRefusedException(game, "ONNX Runtime cannot load it", e);
    }
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  /** The name of the file it was loaded from (no directory: clients may see it). */
  public String fileName() {
    return fileName;
  }

  /** Observation bytes per decision: frames x height x width, from the graph. */
  public int observationSize() {
    return shapes.observationSize();
  }

  /** The observation's shape [frames, height, width], from the graph. */
  public int[] observationShape() {
    return new int[] {shapes.frames(), shapes.height(), shapes.width()};
  }

  /** Size of h and of c; 0 for a feed-forward model. */
  public int stateSize() {
    return shapes.stateSize();
  }

  /**
   * Decides on {@code observation} from state (h, c) (both null or empty: zeros). Throws
   * InvalidInputException for an observation or state that does not fit the graph.
   */
  public Decision act(byte[] observation, float[] h, float[] c, boolean greedy,
      SplittableRandom random) throws OrtException {
    return act(List.of(new Input(observation, h, c, greedy)), random).get(0);
  }

  /** One caller's observation and recurrent state (both null or empty: zeros). */
  public record Input(byte[] observation, float[] h, float[] c, boolean greedy) {}

  /** Throws InvalidInputException, saying what to send instead, if {@code in} does not fit the graph. */
  public void check(Input in) {
    InputCheck.observation(metadata.game(), shapes, in.observation().length);
    InputCheck.state(metadata.game(), shapes, in.h(), in.c());
  }

  /**
   * Decides on several inputs in one run of the graph (a batch of {@code inputs.size()}), in
   * their order. Throws InvalidInputException if any input does not fit; check them one by one
   * first to keep one caller's mistake from failing the others.
   */
  public List<Decision> act(List<Input> inputs, SplittableRandom random) throws OrtException {
    int n = inputs.size();
    int size = shapes.observationSize();
    byte[] observations = n == 1 ? inputs.get(0).observation() : new byte[n * size];
    float[][] h = new float[n][];
    float[][] c = new float[n][];
    for (int i = 0; i < n; i++) {
      Input in = inputs.get(i);
      InputCheck.observation(metadata.game(), shapes, in.observation().length);
      float[][] state = InputCheck.state(metadata.game(), shapes, in.h(), in.c());
      if (n > 1) {
        System.arraycopy(in.observation(), 0, observations, i * size, size);
      }
      if (shapes.recurrent()) {
        h[i] = state[0];
        c[i] = state[1];
      }
    }
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      feeds.put(GraphShapes.OBS, OnnxTensor.createTensor(ENV, ByteBuffer.wrap(observations),
          new long[] {n, shapes.frames(), shapes.height(), shapes.width()}, OnnxJavaType.UINT8));
      if (shapes.recurrent()) {
        feeds.put(GraphShapes.H_IN, OnnxTensor.createTensor(ENV, h));
        feeds.put(GraphShapes.C_IN, OnnxTensor.createTensor(ENV, c));
      }
      try (OrtSession.Result r = session.run(feeds)) {
        float[][] probs = (float[][]) r.get("probs").orElseThrow().getValue();
        float[] values = (float[]) r.get("value").orElseThrow().getValue();
        float[][] hOut = shapes.recurrent() ? (float[][]) r.get("h_out").orElseThrow().getValue() : null;
        float[][] cOut = shapes.recurrent() ? (float[][]) r.get("c_out").orElseThrow().getValue() : null;
        List<Decision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          int action = inputs.get(i).greedy() ? ActionSampling.greedy(probs[i])
              : ActionSampling.sample(probs[i], random);
          decisions.add(new Decision(action, probs[i], values[i],
              hOut == null ? new float[0] : hOut[i], cOut == null ? new float[0] : cOut[i]));
        }
        return decisions;
      }
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // Nothing more to do with a session that failed its checks.
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
