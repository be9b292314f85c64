package ma3c.learner.evaluate;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.export.PolicyExport;
import ma3c.learner.run.Checkpoint;
import ma3c.model.onnx.ModelRefusedException;
import ma3c.model.onnx.OnnxPolicy;

/**
 * The policies an evaluation plays, one per game, run with ONNX Runtime whether they come from a
 * run's checkpoint (exported in memory, as `ma3c export` would write them) or from a model file,
 * so both are played by the same code. Whatever is wrong with the source or the games asked for
 * is an IllegalArgumentException saying so in one line.
 */
final class Policies implements AutoCloseable {
  private final Map<String, OnnxPolicy> byGame;
  private final EvaluationResult.Origin origin;

  private Policies(Map<String, OnnxPolicy> byGame, EvaluationResult.Origin origin) {
    this.byGame = byGame;
    this.origin = origin;
  }

  /** The source's policies for {@code games} (empty: all of them), in the source's game order. */
  static Policies load(EvaluationSettings.Source source, List<String> games) {
    if (source instanceof EvaluationSettings.Run run) {
      return fromRun(run.dir(), games);
    }
    return fromModel(((EvaluationSettings.Model) source).file(), games);
  }

  private static Policies fromRun(Path dir, List<String> games) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--run " + dir + ": no such directory");
    }
    Path file = dir.resolve(Checkpoint.FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--run " + dir + " holds no checkpoint (" + Checkpoint.FILE
          + "): nothing trained yet to evaluate");
    }
    Checkpoint checkpoint;
    Map<String, ModelProto> models;
    try {
      checkpoint = Checkpoint.load(file);
      models = PolicyExport.models(checkpoint);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--run " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // Only a checkpoint too old to name its action sets reads ROMs here.
      throw new IllegalArgumentException("--run " + dir + ": cannot read its games' action sets: "
          + e.getMessage(), e);
    }
    requireKnown(games, models.keySet().stream().toList(), "run " + dir + " trained");
    Map<String, OnnxPolicy> byGame = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, ModelProto> game : models.entrySet()) {
        if (games.isEmpty() || games.contains(game.getKey())) {
          byGame.put(game.getKey(), new OnnxPolicy(game.getKey() + ".onnx", game.getValue().toByteArray()));
        }
      }
    } catch (ModelRefusedException e) {
      closeAll(byGame);
      throw new IllegalArgumentException("--run " + dir + ": its " + e.game() + " policy: "
          + e.getMessage(), e);
    }
    return new Policies(byGame, new EvaluationResult.Origin(file.toAbsolutePath().toString(),
        checkpoint.meta().frames(), checkpoint.meta().savedAt(), null));
  }

  private static Policies fromModel(Path file, List<String> games) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--model " + file + ": " + (Files.exists(file)
          ? "not a file" : "no such file"));
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--model " + file + ": cannot read it: " + e.getMessage(), e);
    }
    OnnxPolicy policy;
    try {
      policy = new OnnxPolicy(file.getFileName().toString(), bytes);
    } catch (ModelRefusedException e) {
      throw new IllegalArgumentException("--model " + file + ": " + e.getMessage(), e);
    }
    try {
      requireKnown(games, List.of(policy.metadata().game()), "model " + file + " plays");
    } catch (IllegalArgumentException e) {
      closeAll(Map.of(policy.metadata().game(), policy));
      throw e;
    }
    return new Policies(Map.of(policy.metadata().game(), policy), new EvaluationResult.Origin(
        file.toAbsolutePath().toString(), policy.metadata().framesTrained(), null, sha256(bytes)));
  }

  private static void requireKnown(List<String> asked, List<String> known, String source) {
    for (String game : asked) {
      if (!known.contains(game)) {
        throw new IllegalArgumentException("unknown game '" + game + "' for --game: " + source
            + " " + String.join(", ", known));
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Game to policy, in the source's game order. */
  Map<String, OnnxPolicy> byGame() {
    return byGame;
  }

  EvaluationResult.Origin origin() {
    return origin;
  }

  @Override
  public void close() {
    closeAll(byGame);
  }

  private static void closeAll(Map<String, OnnxPolicy> policies) {
    for (OnnxPolicy p : policies.values()) {
      try {
        p.close();
      } catch (OrtException e) {
        // Nothing left to do with a policy being let go.
      }
    }
  }
}
