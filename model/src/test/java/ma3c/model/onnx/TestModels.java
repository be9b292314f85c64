package ma3c.model.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.OnnxPolicyGraph;

/** Exported-format models with random parameters, written the way the export command writes them. */
public final class TestModels {
  public static final List<String> ACTIONS = List.of("NOOP", "FIRE", "RIGHT", "LEFT");

  private TestModels() {}

  public static Path write(Path dir, String game, boolean lstm, Architecture arch, long seed) throws Exception {
    return write(dir, game, model(game, lstm, arch, seed, ACTIONS));
  }

  /** Writes {@code model} as {@code dir/<game>.onnx}. */
  public static Path write(Path dir, String game, ModelProto model) throws Exception {
    Path file = Files.createDirectories(dir).resolve(game + ".onnx");
    Files.write(file, model.toByteArray());
    return file;
  }

  public static ModelProto model(String game, boolean lstm, Architecture arch, long seed, List<String> actions) {
    ParameterLayout layout = new ParameterLayout(new NetSpec(arch, lstm, Map.of(game, actions.size())));
    float[] theta = layout.initialParameters(seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (random.nextGaussian() * 0.05);
    }
    ModelMetadata meta = new ModelMetadata(game, actions, arch.id(), lstm, layout.spec().frames(),
        1234 + seed, "{\"frameSkip\": 4}", ModelMetadata.FORMAT_VERSION);
    return OnnxPolicyGraph.withParameters(layout, game, theta, meta.toProperties());
  }

  /** {@code model} with metadata property {@code key} set to {@code value}, as an exporter would write it. */
  public static ModelProto withProperty(ModelProto model, String key, String value) {
    ModelProto.Builder b = model.toBuilder().clearMetadataProps();
    for (StringStringEntryProto p : model.getMetadataPropsList()) {
      b.addMetadataProps(p.getKey().equals(key) ? p.toBuilder().setValue(value) : p.toBuilder());
    }
    return ModelChecksum.seal(b.build());
  }

  /**
   * {@code model} with value {@code index} of initializer {@code name} (raw float data) replaced,
   * as an exporter would write it (its checksum matches).
   */
  public static ModelProto withParameter(ModelProto model, String name, int index, float value) {
    return ModelChecksum.seal(changeParameter(model, name, index, value));
  }

  /** The same change, but the checksum left as it was: a file changed after its export. */
  public static ModelProto changeParameter(ModelProto model, String name, int index, float value) {
    ModelProto.Builder b = model.toBuilder();
    for (TensorProto.Builder t : b.getGraphBuilder().getInitializerBuilderList()) {
      if (t.getName().equals(name)) {
        ByteBuffer raw = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        raw.putFloat(4 * index, value);
        t.setRawData(ByteString.copyFrom(raw.array()));
        return b.build();
      }
    }
    throw new IllegalArgumentException("no initializer " + name);
  }
}
