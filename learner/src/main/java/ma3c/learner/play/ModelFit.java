package ma3c.learner.play;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;

/**
 * An exported policy and the game it plays: the env settings it was trained with, and whether its
 * actions and frames are the game's. Failures are IllegalArgumentExceptions saying what differs.
 */
public final class ModelFit {
  private ModelFit() {}

  /** The env config in the model's metadata (ma3c.preprocessing): what its observations need. */
  public static EnvConfig trainedConfig(ModelMetadata meta) {
    EnvConfig.Builder config = EnvConfig.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(meta.preprocessing(), config);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("its ma3c.preprocessing is not an env config: "
          + e.getMessage(), e);
    }
    return config.build();
  }

  /** Requires the policy to take the game's actions and frames as the env serves them. */
  public static void requireFits(OnnxPolicy policy, EnvSpec game) {
    int actions = policy.metadata().actionMeanings().size();
    if (game.getActionCount() != actions) {
      throw new IllegalArgumentException(policy.fileName() + " has " + actions + " actions but "
          + game.getGame() + " has " + game.getActionCount());
    }
    int[] shape = policy.observationShape();
    if (!game.getObservation().getShapeList().equals(List.of(shape[1], shape[2]))) {
      throw new IllegalArgumentException(policy.fileName() + " takes " + shape[1] + "x" + shape[2]
          + " frames but the env gives " + game.getObservation().getShapeList());
    }
  }
}
