package ma3c.learner.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.model.onnx.ModelRefusedException;
import ma3c.model.onnx.OnnxPolicy;

/**
 * The per-game teacher policies of a distillation run: exported ONNX models (`ma3c export`, or a
 * run's export/ directory), one per game, found as {@code <game>.onnx} in the given directories or
 * given as files. A teacher must play its game with the student's actions, in the same order.
 */
public final class Teachers implements AutoCloseable {
  private final Map<String, OnnxPolicy> byGame;

  private Teachers(Map<String, OnnxPolicy> byGame) {
    this.byGame = byGame;
  }

  /**
   * The teacher of each of {@code actionMeanings}' games from {@code sources} (directories or
   * .onnx files); a missing teacher, an unreadable model or other actions is a clear error.
   */
  public static Teachers load(List<String> sources, Map<String, List<String>> actionMeanings)
      throws IOException {
    Map<String, OnnxPolicy> found = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<String>> game : actionMeanings.entrySet()) {
        Path file = find(sources, game.getKey());
        OnnxPolicy teacher = new OnnxPolicy(file);
        found.put(game.getKey(), teacher);
        if (!teacher.metadata().game().equals(game.getKey())) {
          throw new IllegalArgumentException(file + " is a policy for "
              + teacher.metadata().game() + ", not " + game.getKey());
        }
        if (!teacher.metadata().actionMeanings().equals(game.getValue())) {
          throw new IllegalArgumentException("the teacher " + file + " plays "
              + teacher.metadata().actionMeanings() + ", the student's " + game.getKey() + " has "
              + game.getValue() + " (another action set?)");
        }
      }
    } catch (ModelRefusedException e) {
      closeAll(found);
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeAll(found);
      throw e;
    }
    return new Teachers(found);
  }

  /** The teacher file of {@code game} in {@code sources}; a clear error when there is none. */
  public static Path find(List<String> sources, String game) {
    for (String source : sources) {
      Path p = Path.of(source);
      if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(game + ".onnx"))) {
        return p.resolve(game + ".onnx");
      }
      if (Files.isRegularFile(p) && p.getFileName().toString().equals(game + ".onnx")) {
        return p;
      }
    }
    throw new IllegalArgumentException("no teacher for " + game + ": none of " + sources
        + " is or holds " + game + ".onnx (`ma3c export --run <its run>` writes one)");
  }

  /** The teacher of {@code game}; ONNX Runtime sessions take concurrent calls. */
  public OnnxPolicy of(String game) {
    return byGame.get(game);
  }

  private static void closeAll(Map<String, OnnxPolicy> teachers) {
    teachers.values().forEach(t -> {
      try {
        t.close();
      } catch (Exception ignored) {
        // closing what failed to load
      }
    });
  }

  @Override
  public void close() {
    closeAll(byGame);
  }
}
