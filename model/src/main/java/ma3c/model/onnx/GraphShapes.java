package ma3c.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.TensorInfo;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a policy graph takes and gives, as ONNX Runtime sees the graph: {@code obs} uint8
 * [N, frames, height, width], optionally {@code h_in}/{@code c_in} float [N, stateSize], and
 * {@code probs} [N, actions], {@code value}, {@code h_out}/{@code c_out}. The server feeds and
 * checks requests by these shapes, and refuses a model whose metadata disagree with them: an
 * exporter bug would otherwise surface as ONNX Runtime errors on every request.
 */
record GraphShapes(int frames, int height, int width, int stateSize, int actions) {
  static final String OBS = "obs";
  static final String H_IN = "h_in";
  static final String C_IN = "c_in";
  private static final OnnxTensorType UINT8 = OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
  private static final OnnxTensorType FLOAT = OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;

  /** Observation bytes per decision. */
  int observationSize() {
    return frames * height * width;
  }

  boolean recurrent() {
    return stateSize > 0;
  }

  /** Reads the shapes of {@code session}'s graph and checks {@code meta} against them. */
  static GraphShapes of(OrtSession session, ModelMetadata meta)
      throws OrtException, ModelRefusedException {
    String game = meta.game();
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Set<String> unknown = new TreeSet<>(inputs.keySet());
    unknown.removeAll(Set.of(OBS, H_IN, C_IN));
    if (!unknown.isEmpty()) {
      throw refused(game, "its graph takes inputs the server cannot feed: " + unknown);
    }
    long[] obs = shape(game, inputs, OBS, UINT8, 4);
    if (inputs.containsKey(H_IN) != inputs.containsKey(C_IN)) {
      throw refused(game, "its graph takes only one of h_in and c_in");
    }
    int state = 0;
    if (inputs.containsKey(H_IN)) {
      long h = shape(game, inputs, H_IN, FLOAT, 2)[1];
      long c = shape(game, inputs, C_IN, FLOAT, 2)[1];
      if (h != c) {
        throw refused(game, "its graph's h_in and c_in differ in size (" + h + " and " + c + ")");
      }
      state = (int) h;
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    long[] probs = shape(game, outputs, "probs", FLOAT, 2);
    shape(game, outputs, "value", FLOAT, 1);
    for (String out : new String[] {"h_out", "c_out"}) {
      if (outputs.containsKey(out) != (state > 0)) {
        throw refused(game, "its graph's recurrent outputs do not match its inputs (" + out + ")");
      }
    }
    GraphShapes shapes = new GraphShapes((int) obs[1], (int) obs[2], (int) obs[3], state,
        (int) probs[1]);
    shapes.requireMatches(meta);
    return shapes;
  }

  private void requireMatches(ModelMetadata meta) throws ModelRefusedException {
    if (meta.lstm() != recurrent()) {
      throw refused(meta.game(), "its metadata say " + (meta.lstm() ? "LSTM" : "feed-forward")
          + " but its graph is " + (recurrent() ? "recurrent" : "feed-forward"));
    }
    if (meta.framesStacked() != frames) {
      throw refused(meta.game(), "its metadata say " + meta.framesStacked()
          + " stacked frames but its graph takes " + frames);
    }
    if (meta.actionMeanings().size() != actions) {
      throw refused(meta.game(), "its metadata name " + meta.actionMeanings().size()
          + " actions but its graph has " + actions);
    }
  }

  /** The shape of tensor {@code name}, which must have this type and rank, every dim but N fixed. */
  private static long[] shape(String game, Map<String, NodeInfo> nodes, String name,
      OnnxTensorType type, int rank) throws ModelRefusedException {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw refused(game, "its graph has no '" + name + "'");
    }
    if (!(node.getInfo() instanceof TensorInfo t) || t.onnxType != type
        || t.getShape().length != rank) {
      throw refused(game, "its graph's '" + name + "' is not a rank-" + rank + " "
          + (type == UINT8 ? "uint8" : "float") + " tensor");
    }
    long[] shape = t.getShape();
    for (int d = 1; d < rank; d++) {
      if (shape[d] <= 0 || shape[d] > Integer.MAX_VALUE) {
        throw refused(game, "its graph's '" + name + "' has no fixed size in dimension " + d);
      }
    }
    return shape;
  }

  private static ModelRefusedException refused(String game, String reason) {
    return new ModelRefusedException(game, reason);
  }
}
