package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.cli.CommandRun;
import ma3c.env.TestRoms;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunDirectory;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Six games in one agent (beyond the paper's pairs): per-game heads sized to each game's minimal
 * action set, uneven thread counts, and per-game frames, metrics and exports.
 */
class ManyGamesTest {
  private static final List<String> GAMES =
      List.of("pong", "breakout", "space_invaders", "phoenix", "ms_pacman", "catch");
  /** Minimal action sets (catch: left, right, stay). */
  private static final Map<String, Integer> ACTIONS = Map.of("pong", 6, "breakout", 4,
      "space_invaders", 6, "phoenix", 8, "ms_pacman", 9, "catch", 3);

  @ParameterizedTest
  @ValueSource(strings = {"ma3c-1", "ma3c-2"})
  void sixGamesTrainInOneAgent(String arch, @TempDir Path dir) throws Exception {
    Path roms = TestRoms.dir("breakout", "space_invaders", "phoenix", "ms_pacman");
    Path run = dir.resolve("run");
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "train", "--arch", arch, "--lstm",
        "--games", "pong:2,breakout:1,space_invaders:1,phoenix:1,ms_pacman:1,catch:2",
        "--frames-per-game", "2000", "--rom-dir", roms.toString(), "--run-dir", run.toString(),
        "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint c = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertEquals(GAMES, c.meta().config().games());
    assertEquals(2, c.meta().config().threadsPerGame().get("pong"));
    assertEquals(1, c.meta().config().threadsPerGame().get("phoenix"));
    for (String game : GAMES) {
      assertTrue(c.meta().gameFrames().get(game) >= 2000, game + " trained its budget");
      assertEquals(ACTIONS.get(game), c.meta().actionMeanings().get(game).size(), game);
      assertTrue(Files.isRegularFile(run.resolve("export").resolve(game + ".onnx")), game);
    }
    // One set of parameters: the shared trunk plus a head (and, for MA3C-1, an LSTM) per game.
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.of(arch), true, ACTIONS));
    assertEquals(layout.size(), c.theta().length);

    List<String> metrics = Files.readAllLines(run.resolve(RunDirectory.METRICS));
    JsonObject games = JsonParser.parseString(metrics.get(metrics.size() - 1)).getAsJsonObject()
        .getAsJsonObject("games");
    assertEquals(GAMES.stream().sorted().toList(), games.keySet().stream().sorted().toList(),
        "metrics per game");
  }
}
