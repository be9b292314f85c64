package ma3c.learner.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.util.JsonFormat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.cli.CommandRun;
import ma3c.env.TestRoms;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.LearnerMain;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportCommandTest {
  /** A file in the way: a usage error naming --out, not a FileAlreadyExistsException. */
  @Test
  void anOutThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    CommandRun.of(LearnerMain.commandLine(), "export", "--run", dir.toString(), "--out", file.toString())
        .assertUsageError("--out " + file + ": not a directory");
  }

  private static final Map<String, List<String>> MEANINGS = Map.of(
      "pong", List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"),
      "catch", List.of("NOOP", "LEFT", "RIGHT"));

  /** A checkpoint of an MA3C-1 LSTM run on Pong and catch, 777 frames in. */
  private static Checkpoint checkpoint(boolean lifeLoss) {
    return checkpoint(lifeLoss, "roms", MEANINGS);
  }

  /** The same with ROMs from {@code romDir}; {@code meanings} null as in checkpoints of old runs. */
  private static Checkpoint checkpoint(boolean lifeLoss, String romDir,
      Map<String, List<String>> meanings) {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put("pong", 1);
    games.put("catch", 1);
    RunConfig config = new RunConfig(new RunConfig.Net(Architecture.MA3C_1, true), games,
        A3CConfig.defaults(true, 1000), new RunConfig.Env(List.of(), romDir, 0.25f, 30, lifeLoss), 1,
        new RunConfig.Reporting(60, 10), null, null, null);
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.MA3C_1, true,
        Map.of("pong", 6, "catch", 3)));
    return new Checkpoint(new Checkpoint.Meta(config, 777, 9, 1.0, Map.of(),
        Map.of(), meanings, "now", null, null, null), layout.initialParameters(5), new float[layout.size()]);
  }

  /**
   * ma3c.preprocessing is the env config the policy was trained with, life-loss episodes
   * included (players of whole games, `play` and the Python client, turn that off themselves).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void thePreprocessingSaysHowItWasTrained(boolean lifeLoss, @TempDir Path dir) throws Exception {
    for (Path file : PolicyExport.write(checkpoint(lifeLoss), dir)) {
      try (OnnxPolicy policy = new OnnxPolicy(file)) {
        EnvConfig.Builder trained = EnvConfig.newBuilder();
        JsonFormat.parser().merge(policy.metadata().preprocessing(), trained);
        assertEquals(lifeLoss, trained.getTerminalOnLifeLoss(), policy.metadata().preprocessing());
        assertEquals(0.25f, trained.getRepeatActionProbability());
        assertFalse(trained.hasSeed(), "no seed: it is the run's, not the policy's");
      }
    }
  }

  @Test
  void writesOneSelfDescribingModelPerGame(@TempDir Path dir) throws Exception {
    List<Path> files = PolicyExport.write(checkpoint(true), dir);

    assertEquals(List.of(dir.resolve("pong.onnx"), dir.resolve("catch.onnx")), files);
    for (Path file : files) {
      try (OnnxPolicy policy = new OnnxPolicy(file)) {
        ModelMetadata m = policy.metadata();
        String game = file.getFileName().toString().replace(".onnx", "");
        assertEquals(game, m.game());
        assertEquals(MEANINGS.get(game), m.actionMeanings());
        assertEquals("ma3c-1", m.architecture());
        assertEquals(777, m.framesTrained());
        assertEquals(256, policy.stateSize());
        OnnxPolicy.Decision d = policy.act(new byte[84 * 84], null, null, true, null);
        assertEquals(MEANINGS.get(game).size(), d.probs().length);
      }
    }
  }

  /** A checkpoint of a run from before checkpoints held action sets: they come from ListGames. */
  @Test
  void anOldCheckpointsActionMeaningsComeFromListGames(@TempDir Path dir) throws Exception {
    Path roms = TestRoms.dir("pong");
    for (Path file : PolicyExport.write(checkpoint(true, roms.toString(), null), dir)) {
      try (OnnxPolicy policy = new OnnxPolicy(file)) {
        assertEquals(MEANINGS.get(policy.metadata().game()), policy.metadata().actionMeanings());
      }
    }
  }
}
