package ma3c.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;

/**
 * Finds NaN or infinite values among the tensors stored in a graph: its initializers (the
 * parameters) and the values of its Constant nodes. A diverged training run exports such a model,
 * and ONNX Runtime would serve it, answering every request with NaN probabilities.
 *
 * <p>FLOAT (what the exporter writes) and DOUBLE tensors are scanned, in raw_data or in the typed
 * field; integer tensors cannot hold NaN/Inf, and the exporter writes no half-precision ones.
 */
final class FiniteParameters {
  private FiniteParameters() {}

  /** "fc_w: 12 of 663552 values are NaN/Inf (first: [40] = NaN)" for the first bad tensor, if any. */
  static Optional<String> firstNonFinite(GraphProto graph) {
    for (TensorProto t : graph.getInitializerList()) {
      Optional<String> bad = scan(t.getName(), t);
      if (bad.isPresent()) {
        return bad;
      }
    }
    for (NodeProto node : graph.getNodeList()) {
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasT()) {
          Optional<String> bad = scan(node.getName() + "." + a.getName(), a.getT());
          if (bad.isPresent()) {
            return bad;
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> scan(String name, TensorProto t) {
    IntToDoubleFunction value;
    int total;
    if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
      FloatBuffer values = t.getRawData().isEmpty()
          ? FloatBuffer.wrap(toArray(t))
          : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      value = values::get;
      total = values.remaining();
    } else if (t.getDataType() == TensorProto.DataType.DOUBLE_VALUE) {
      DoubleBuffer values = t.getRawData().isEmpty()
          ? DoubleBuffer.wrap(t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray())
          : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
      value = values::get;
      total = values.remaining();
    } else {
      return Optional.empty();
    }
    int count = 0;
    int first = -1;
    for (int i = 0; i < total; i++) {
      if (!Double.isFinite(value.applyAsDouble(i)) && count++ == 0) {
        first = i;
      }
    }
    return count == 0 ? Optional.empty() : Optional.of(String.format(
        "%s: %d of %d values are NaN/Inf (first: [%d] = %s)", name, count, total, first,
        value.applyAsDouble(first)));
  }

  private static float[] toArray(TensorProto t) {
    float[] out = new float[t.getFloatDataCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatData(i);
    }
    return out;
  }
}
