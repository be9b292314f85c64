package ma3c.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;

/**
 * One game's policy network as an ONNX graph (opset 17), built with the generated ONNX protobuf
 * classes. Inputs: {@code obs} uint8 [N, frames, 84, 84] (scaled to [0, 1] inside), and for the
 * LSTM {@code h_in}, {@code c_in} [N, 256]. Outputs: {@code probs} [N, A], {@code value} [N], and
 * for the LSTM {@code h_out}, {@code c_out}.
 *
 * <p>The parameters are either baked in as initializers (the exported model) or left as graph
 * inputs named after the local parameter names, which lets an actor thread run the graph on its
 * own current copy of the parameters without rebuilding a session. The LSTM cell is written with
 * MatMul/Split/Sigmoid/Tanh in the training graph's gate order (i, f, g, o), so the parameters
 * go in as they are stored.
 */
public final class OnnxPolicyGraph {
  public static final int OPSET = 17;
  private static final String BATCH = "N";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int counter;

  private OnnxPolicyGraph() {}

  /** The graph with the parameters as inputs, for acting with parameters that change. */
  public static ModelProto withParameterInputs(ParameterLayout layout, String game) {
    return build(layout, game, null, Map.of());
  }

  /**
   * The self-contained graph with {@code theta}'s values baked in, plus metadata properties and
   * the checksum of it all (see ModelChecksum).
   */
  public static ModelProto withParameters(ParameterLayout layout, String game, float[] theta,
      Map<String, String> metadata) {
    return ModelChecksum.seal(build(layout, game, theta, metadata));
  }

  private static ModelProto build(ParameterLayout layout, String game, float[] theta,
      Map<String, String> metadata) {
    OnnxPolicyGraph g = new OnnxPolicyGraph();
    NetSpec spec = layout.spec();
    g.graph.setName("ma3c_" + game);
    for (ParameterLayout.Block b : layout.view(game)) {
      if (theta == null) {
        g.graph.addInput(valueInfo(b.localName(), TensorProto.DataType.FLOAT, dims(b.shape())));
      } else {
        g.graph.addInitializer(floatTensor(b.localName(), b.shape(), theta, b.offset()));
      }
    }
    g.graph.addInput(valueInfo("obs", TensorProto.DataType.UINT8,
        List.of(BATCH, spec.frames(), NetSpec.SIZE, NetSpec.SIZE)));
    g.graph.addInitializer(scalar("inv255", 1f / 255f));

    String x = g.node("Mul", List.of(g.node("Cast", List.of("obs"), intAttr("to", TensorProto.DataType.FLOAT_VALUE)), "inv255"));
    x = g.node("Relu", List.of(g.conv(x, "conv1", 8, 4)));
    x = g.node("Relu", List.of(g.conv(x, "conv2", 4, 2)));
    x = g.node("Flatten", List.of(x), intAttr("axis", 1));
    x = g.node("Relu", List.of(g.node("Gemm", List.of(x, "fc_w", "fc_b"))));
    if (spec.lstm()) {
      x = g.lstmCell(x);
    }
    g.graph.addNode(node("Softmax", List.of(g.node("Gemm", List.of(x, "pi_w", "pi_b"))),
        List.of("probs"), intAttr("axis", 1)));
    g.graph.addInitializer(TensorProto.newBuilder().setName("squeeze_axes").addDims(1)
        .setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(1));
    g.graph.addNode(node("Squeeze", List.of(g.node("Gemm", List.of(x, "v_w", "v_b")), "squeeze_axes"),
        List.of("value")));

    g.graph.addOutput(valueInfo("probs", TensorProto.DataType.FLOAT, List.of(BATCH, spec.actions(game))));
    g.graph.addOutput(valueInfo("value", TensorProto.DataType.FLOAT, List.of(BATCH)));
    if (spec.lstm()) {
      g.graph.addOutput(valueInfo("h_out", TensorProto.DataType.FLOAT, List.of(BATCH, NetSpec.HIDDEN)));
      g.graph.addOutput(valueInfo("c_out", TensorProto.DataType.FLOAT, List.of(BATCH, NetSpec.HIDDEN)));
    }
    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("ma3c")
        .setGraph(g.graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    metadata.forEach((k, v) -> model.addMetadataProps(
        StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  private String conv(String in, String name, int kernel, int stride) {
    NodeProto.Builder conv = NodeProto.newBuilder().setOpType("Conv").setName(name)
        .addInput(in).addInput(name + "_w").addInput(name + "_b").addOutput(name + "_out")
        .addAttribute(intsAttr("kernel_shape", kernel, kernel))
        .addAttribute(intsAttr("strides", stride, stride));
    graph.addNode(conv);
    return name + "_out";
  }

  private String lstmCell(String x) {
    graph.addInput(valueInfo("h_in", TensorProto.DataType.FLOAT, List.of(BATCH, NetSpec.HIDDEN)));
    graph.addInput(valueInfo("c_in", TensorProto.DataType.FLOAT, List.of(BATCH, NetSpec.HIDDEN)));
    String z = node("Add", List.of(node("Add", List.of(node("MatMul", List.of(x, "lstm_wx")),
        node("MatMul", List.of("h_in", "lstm_wh")))), "lstm_b"));
    graph.addInitializer(TensorProto.newBuilder().setName("gate_sizes").addDims(4)
        .setDataType(TensorProto.DataType.INT64_VALUE)
        .addInt64Data(NetSpec.HIDDEN).addInt64Data(NetSpec.HIDDEN)
        .addInt64Data(NetSpec.HIDDEN).addInt64Data(NetSpec.HIDDEN));
    graph.addNode(NodeProto.newBuilder().setOpType("Split").setName("gates")
        .addInput(z).addInput("gate_sizes")
        .addOutput("gate_i").addOutput("gate_f").addOutput("gate_g").addOutput("gate_o")
        .addAttribute(intAttr("axis", 1)));
    String i = node("Sigmoid", List.of("gate_i"));
    String f = node("Sigmoid", List.of("gate_f"));
    String g = node("Tanh", List.of("gate_g"));
    String o = node("Sigmoid", List.of("gate_o"));
    graph.addNode(node("Add", List.of(node("Mul", List.of(f, "c_in")), node("Mul", List.of(i, g))),
        List.of("c_out")));
    graph.addNode(node("Mul", List.of(o, node("Tanh", List.of("c_out"))), List.of("h_out")));
    return "h_out";
  }

  /** Adds a node with one fresh output; returns that output's name. */
  private String node(String op, List<String> inputs, AttributeProto... attributes) {
    String out = op.toLowerCase() + "_" + counter++;
    graph.addNode(node(op, inputs, List.of(out), attributes));
    return out;
  }

  private static NodeProto node(String op, List<String> inputs, List<String> outputs,
      AttributeProto... attributes) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(outputs.get(0))
        .addAllInput(inputs).addAllOutput(outputs);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    return n.build();
  }

  private static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  private static AttributeProto intsAttr(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static List<Object> dims(int[] shape) {
    return java.util.Arrays.stream(shape).boxed().map(d -> (Object) d).toList();
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, List<?> dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String param) {
        dim.setDimParam(param);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  private static TensorProto floatTensor(String name, int[] shape, float[] values, int offset) {
    int n = 1;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (int d : shape) {
      t.addDims(d);
      n *= d;
    }
    ByteBuffer raw = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values, offset, n);
    return t.setRawData(ByteString.copyFrom(raw.array())).build();
  }

  private static TensorProto scalar(String name, float value) {
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addFloatData(value).build();
  }
}
