package ma3c.model.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 an exported model carries in its metadata ({@value #KEY}): of the model's
 * serialization without that one property. A model file rewritten in place and read before its
 * writer is done holds parts of two versions, which still parse when the architecture is the same
 * (same size, same layout), however long the writer stalls; such a file does not match the
 * checksum of either version, so a reader can tell it from a whole model.
 */
public final class ModelChecksum {
  public static final String KEY = "ma3c.sha256";

  private ModelChecksum() {}

  /** {@code model} with the checksum of its content (in place of any it had). */
  public static ModelProto seal(ModelProto model) {
    ModelProto content = withoutChecksum(model);
    return content.toBuilder()
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey(KEY).setValue(digest(content)))
        .build();
  }

  /**
   * Whether {@code model} matches its checksum; true for a model without one (exported before
   * models carried it), which nothing can be checked against.
   */
  public static boolean isWhole(ModelProto model) {
    for (StringStringEntryProto p : model.getMetadataPropsList()) {
      if (p.getKey().equals(KEY)) {
        return p.getValue().equals(digest(withoutChecksum(model)));
      }
    }
    return true;
  }

  private static ModelProto withoutChecksum(ModelProto model) {
    ModelProto.Builder b = model.toBuilder().clearMetadataProps();
    model.getMetadataPropsList().stream().filter(p -> !p.getKey().equals(KEY)).forEach(b::addMetadataProps);
    return b.build();
  }

  private static String digest(ModelProto content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
