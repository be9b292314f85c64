package ma3c.learner.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.env.contract.EnvException;
import ma3c.env.embed.EnvDefaults;
import ma3c.env.embed.LocalGames;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.GameInfo;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicyGraph;

/**
 * One self-contained ONNX policy per game (shared trunk + that game's heads) from a checkpoint:
 * what `ma3c export` writes, and what the trainer refreshes beside every checkpoint.
 */
public final class PolicyExport {
  private PolicyExport() {}

  /**
   * Older checkpoints do not record action meanings: what ListGames says of the run's games on
   * its ROM directory, asked in-process (a run plays the minimal action set, RunConfig.envRequest).
   */
  private static Map<String, List<String>> meaningsFromListGames(RunConfig config)
      throws EnvException {
    Path romDir = Path.of(config.env().romDir());
    Map<String, GameInfo> listed = new HashMap<>();
    for (GameInfo game : new LocalGames(romDir).games()) {
      listed.put(game.getName(), game);
    }
    Map<String, List<String>> meanings = new LinkedHashMap<>();
    for (String game : config.games()) {
      GameInfo info = listed.get(game);
      if (info == null) {
        throw EnvException.notFound("unknown game '" + game + "': not among the games of the ROM"
            + " directory " + romDir.toAbsolutePath() + " (see ListGames)");
      }
      meanings.put(game, List.copyOf(info.getMinimalActionMeaningsList()));
    }
    return meanings;
  }

  /** Writes {@code <dir>/<game>.onnx} for every game, each atomically; returns the files. */
  public static List<Path> write(Checkpoint checkpoint, Path dir) throws Exception {
    List<Path> files = new java.util.ArrayList<>();
    for (Map.Entry<String, ModelProto> game : models(checkpoint).entrySet()) {
      byte[] model = game.getValue().toByteArray();
      Path file = dir.resolve(game.getKey() + ".onnx");
      AtomicFiles.write(file, o -> o.write(model));
      files.add(file);
    }
    return files;
  }

  /** Each game's policy as the ONNX model {@link #write} writes, in the run's game order. */
  public static Map<String, ModelProto> models(Checkpoint checkpoint) throws Exception {
    RunConfig config = checkpoint.meta().config();
    Map<String, List<String>> meanings = checkpoint.meta().actionMeanings();
    if (meanings == null) {
      meanings = meaningsFromListGames(config);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String game : config.games()) {
      counts.put(game, meanings.get(game).size());
    }
    ParameterLayout layout = new ParameterLayout(new NetSpec(config.arch(), config.net().lstm(), counts));
    // The preprocessing the policy was trained on: the env config in force, minus the seed (the
    // run's, not the policy's). terminal_on_life_loss says how its episodes ended in training;
    // a player of whole games (play, the Python client's env_config) sets it false itself.
    EnvConfig env = EnvDefaults.resolve(config.envRequest(0)).toBuilder().clearSeed().build();
    String preprocessing = JsonFormat.printer().print(env);
    Map<String, ModelProto> models = new LinkedHashMap<>();
    for (String game : config.games()) {
      ModelMetadata metadata = new ModelMetadata(game, meanings.get(game), config.net().architecture().id(),
          config.net().lstm(), layout.spec().frames(), checkpoint.meta().frames(), preprocessing,
          ModelMetadata.FORMAT_VERSION);
      models.put(game, OnnxPolicyGraph.withParameters(layout, game, checkpoint.theta(),
          metadata.toProperties()));
    }
    return models;
  }
}
