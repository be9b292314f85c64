package ma3c.learner.transfer;

import ma3c.learner.algo.Freeze;
import ma3c.model.Architecture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import ma3c.cli.CommandRun;
import ma3c.env.TestRoms;
import ma3c.learner.LearnerMain;
import ma3c.learner.run.Checkpoint;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ma3c train --init-from`: a new game learned on top of a multi-task run's shared blocks, with
 * some of them frozen, through the command line as users run it.
 */
class TransferTest {
  @TempDir
  static Path dir;
  private static Path roms;
  private static Path source;
  private static Checkpoint sourceCheckpoint;

  private static CommandRun run(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  /** A small MA3C-1 LSTM run on catch and pong: the source every test starts from. */
  @BeforeAll
  static void trainSource() throws Exception {
    roms = TestRoms.dir("pong", "breakout");
    source = dir.resolve("source");
    CommandRun r = run("train", "--arch", "ma3c-1", "--lstm", "--games", "catch:1,pong:1",
        "--frames-per-game", "2000", "--rom-dir", roms.toString(), "--run-dir", source.toString(),
        "--progress-every", "60");
    assertEquals(0, r.exit(), r.err());
    sourceCheckpoint = Checkpoint.load(source.resolve(Checkpoint.FILE));
  }

  private static float[] block(Checkpoint c, String name) {
    ParameterLayout.Block b = c.meta().layout().blocks().stream()
        .filter(x -> x.globalName().equals(name)).findFirst().orElseThrow();
    return Arrays.copyOfRange(c.theta(), b.offset(), b.offset() + b.size());
  }

  private static Checkpoint fineTune(String name, String freeze, long frames) throws Exception {
    Path run = dir.resolve(name);
    CommandRun r = run("train", "--init-from", source.toString(), "--games", "breakout:1",
        "--freeze", freeze, "--frames", String.valueOf(frames), "--rom-dir", roms.toString(),
        "--run-dir", run.toString(), "--progress-every", "60");
    assertEquals(0, r.exit(), r.err());
    return Checkpoint.load(run.resolve(Checkpoint.FILE));
  }

  @Test
  void aFrozenTrunkStaysTheSourcesWhileTheNewGamesLstmAndHeadsLearn() throws Exception {
    Checkpoint tuned = fineTune("trunk", "trunk", 2000);
    assertEquals(Architecture.MA3C_1, tuned.meta().config().net().architecture(), "the source's architecture");
    assertTrue(tuned.meta().config().net().lstm(), "the source's LSTM");
    assertEquals(Freeze.TRUNK, tuned.meta().config().transfer().freeze());
    for (String shared : new String[] {"shared/conv1_w", "shared/conv2_b", "shared/fc_w", "shared/fc_b"}) {
      assertArrayEquals(block(sourceCheckpoint, shared), block(tuned, shared), shared);
    }
    ParameterLayout target = tuned.meta().layout();
    float[] init = target.initialParameters(tuned.meta().config().seed());
    for (String own : new String[] {"breakout/lstm_wx", "breakout/pi_w", "breakout/v_w"}) {
      ParameterLayout.Block b = target.blocks().stream().filter(x -> x.globalName().equals(own))
          .findFirst().orElseThrow();
      assertFalse(Arrays.equals(Arrays.copyOfRange(init, b.offset(), b.offset() + b.size()),
          block(tuned, own)), own + " trained");
    }

    // A resume keeps the run frozen: given the run's own --freeze again (a restarted container's
    // command line), and refusing another.
    Path run = dir.resolve("trunk");
    CommandRun other = run("train", "--resume", run.toString(), "--freeze", "conv");
    assertEquals(2, other.exit(), other.err());
    assertTrue(other.err().contains("--freeze conv (run: trunk)"), other.err());
    CommandRun resumed = run("train", "--resume", run.toString(), "--frames", "4000",
        "--freeze", "trunk");
    assertEquals(0, resumed.exit(), resumed.err());
    Checkpoint later = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(later.meta().frames() >= 4000);
    assertArrayEquals(block(sourceCheckpoint, "shared/fc_w"), block(later, "shared/fc_w"));
  }

  @Test
  void freezingConvLetsTheFullyConnectedLayerMove() throws Exception {
    Checkpoint tuned = fineTune("conv", "conv", 2000);
    assertArrayEquals(block(sourceCheckpoint, "shared/conv1_w"), block(tuned, "shared/conv1_w"));
    assertArrayEquals(block(sourceCheckpoint, "shared/conv2_w"), block(tuned, "shared/conv2_w"));
    assertFalse(Arrays.equals(block(sourceCheckpoint, "shared/fc_w"), block(tuned, "shared/fc_w")),
        "fc trains");
  }

  @Test
  void badTransfersAreOneLineErrors() {
    CommandRun noSource = run("train", "--games", "catch", "--arch", "a3c", "--freeze", "trunk",
        "--run-dir", dir.resolve("x1").toString());
    assertEquals(2, noSource.exit());
    assertTrue(noSource.err().contains("--freeze trunk needs --init-from"), noSource.err());

    CommandRun missing = run("train", "--games", "catch", "--init-from", dir.resolve("nowhere").toString(),
        "--run-dir", dir.resolve("x2").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no checkpoint to start from"), missing.err());

    CommandRun misfit = run("train", "--games", "catch", "--arch", "ma3c-2", "--init-from",
        source.toString(), "--run-dir", dir.resolve("x3").toString());
    assertEquals(2, misfit.exit());
    assertTrue(misfit.err().contains("has no shared/lstm_wx"), misfit.err());

    CommandRun level = run("train", "--games", "catch", "--init-from", source.toString(),
        "--freeze", "sideways", "--run-dir", dir.resolve("x4").toString());
    assertEquals(2, level.exit());
    assertTrue(level.err().contains("unknown freeze level 'sideways'"), level.err());
    for (CommandRun r : new CommandRun[] {noSource, missing, misfit, level}) {
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }
}
