package ma3c.env.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import ma3c.env.TestRoms;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.DataType;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.ObservationFormat;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gymnasium semantics of one Atari environment, on real ROMs. */
class AtariEnvTest {
  private static GameCatalog catalog;

  @BeforeAll
  static void roms() {
    catalog = new GameCatalog(TestRoms.dir());
  }

  private static GameEnv open(String game, EnvConfig config) throws EnvException {
    TestRoms.dir(game); // skips the test, naming the ROM, where it is missing
    return catalog.open(game, EnvConfigs.resolve(config));
  }

  /** Observations and rewards of {@code steps} seeded random actions after a reset. */
  private static List<String> trajectory(GameEnv env, OptionalLong seed, int steps) throws EnvException {
    List<String> out = new ArrayList<>();
    ResetResponse reset = env.reset(seed);
    out.add(exact(reset.getObservation().getData().toByteArray()));
    SplittableRandom actions = new SplittableRandom(99);
    for (int i = 0; i < steps; i++) {
      StepResponse step = env.step(actions.nextInt(env.spec().getActionCount()));
      out.add(exact(step.getObservation().getData().toByteArray()) + "|" + step.getReward());
      if (step.getState() != EpisodeState.RUNNING) {
        out.add("reset:"
            + exact(env.reset(OptionalLong.empty()).getObservation().getData().toByteArray()));
      }
    }
    return out;
  }

  /** The bytes, losslessly as text (a UTF-8 decoding would map distinct bytes to one character). */
  private static String exact(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void sameSeedSameActionsGiveIdenticalTrajectories() throws Exception {
    EnvConfig config = EnvConfig.newBuilder().setSeed(123).setNoopMax(30).build();
    try (GameEnv a = open("breakout", config); GameEnv b = open("breakout", config)) {
      assertEquals(trajectory(a, OptionalLong.empty(), 600), trajectory(b, OptionalLong.empty(), 600),
          "two environments with the same seed must replay identically");
    }
  }

  @Test
  void resetWithASeedReplaysAndADifferentSeedDiverges() throws Exception {
    try (GameEnv env = open("breakout", EnvConfig.newBuilder().setNoopMax(30).build())) {
      List<String> first = trajectory(env, OptionalLong.of(5), 400);
      assertEquals(first, trajectory(env, OptionalLong.of(5), 400), "reset(seed) re-seeds");
      assertNotEquals(first, trajectory(env, OptionalLong.of(6), 400),
          "sticky actions and no-ops depend on the seed");
    }
  }

  @Test
  void frameCapTruncatesWithoutTerminating() throws Exception {
    EnvConfig capped = EnvConfig.newBuilder().setSeed(1).setMaxEpisodeFrames(400).build();
    try (GameEnv env = open("pong", capped)) {
      int start = env.reset(OptionalLong.empty()).getInfo().getEpisodeFrameNumber();
      StepResponse step = null;
      int steps = 0;
      while (steps < 1000 && (step == null || step.getState() != EpisodeState.TRUNCATED)) {
        step = env.step(0);
        steps++;
        assertNotEquals(EpisodeState.TERMINATED, step.getState(), "pong does not end in 400 frames");
      }
      assertEquals(EpisodeState.TRUNCATED, step.getState());
      assertEquals((400 - start) / 4, steps, "cut at 400 frames, 4 frames a step");
      assertEquals(400, step.getInfo().getEpisodeFrameNumber());
      assertTrue(step.getInfo().getGameOver());
      assertEquals(steps, step.getInfo().getEpisodeLength());
      assertTrue(step.getInfo().hasEpisodeReturn());
    }
  }

  @Test
  void gameOverTerminatesWithTheEpisodeReturnAndLength() throws Exception {
    try (GameEnv env = open("breakout", EnvConfig.newBuilder().setSeed(3).build())) {
      env.reset(OptionalLong.empty());
      SplittableRandom random = new SplittableRandom(3);
      double sum = 0;
      int steps = 0;
      StepResponse step;
      do {
        step = env.step(random.nextInt(4));
        sum += step.getReward();
        steps++;
        if (step.getState() == EpisodeState.RUNNING) {
          assertFalse(step.getInfo().hasEpisodeReturn(), "the return comes only at the end");
        }
      } while (step.getState() == EpisodeState.RUNNING && steps < 20_000);
      assertEquals(EpisodeState.TERMINATED, step.getState());
      assertTrue(step.getInfo().getGameOver());
      assertEquals(0, step.getInfo().getLives());
      assertEquals(sum, step.getInfo().getEpisodeReturn(), 1e-9);
      assertEquals(steps, step.getInfo().getEpisodeLength());
    }
  }

  @Test
  void lifeLossIsReportedAndOptionallyEndsTheEpisodeWithoutRestartingTheGame() throws Exception {
    EnvConfig config = EnvConfig.newBuilder().setSeed(4).setTerminalOnLifeLoss(true).build();
    try (GameEnv env = open("breakout", config)) {
      int lives = env.reset(OptionalLong.empty()).getInfo().getLives();
      assertEquals(5, lives);
      StepResponse step;
      SplittableRandom random = new SplittableRandom(4);
      do {
        step = env.step(random.nextInt(4));
      } while (step.getState() == EpisodeState.RUNNING);
      assertEquals(EpisodeState.TERMINATED, step.getState());
      assertTrue(step.getInfo().getLifeLost());
      assertFalse(step.getInfo().getGameOver(), "a life, not the game, was lost");
      assertEquals(4, step.getInfo().getLives());
      int frame = step.getInfo().getEpisodeFrameNumber();
      ResetResponse next = env.reset(OptionalLong.empty());
      assertEquals(4, next.getInfo().getLives(), "the same game goes on");
      assertTrue(next.getInfo().getEpisodeFrameNumber() > frame, "the emulator was not reset");
    }
  }

  @Test
  void fireAndNoopStartsAdvanceTheGameBeforeTheFirstObservation() throws Exception {
    EnvConfig plain = EnvConfig.newBuilder().setSeed(8).setFireOnReset(false).build();
    int base;
    try (GameEnv env = open("breakout", plain)) {
      base = env.reset(OptionalLong.empty()).getInfo().getEpisodeFrameNumber();
    }
    try (GameEnv env = open("breakout", plain.toBuilder().setFireOnReset(true).build())) {
      assertEquals(base + 4, env.reset(OptionalLong.empty()).getInfo().getEpisodeFrameNumber(),
          "one FIRE step of 4 frames");
    }
    Set<Integer> starts = new HashSet<>();
    try (GameEnv env = open("breakout", plain.toBuilder().setNoopMax(30).build())) {
      for (int i = 0; i < 20; i++) {
        int frame = env.reset(OptionalLong.empty()).getInfo().getEpisodeFrameNumber();
        assertTrue(frame >= base && frame <= base + 4 * 30, "at most 30 no-op steps: " + frame);
        assertEquals(0, (frame - base) % 4, "whole steps of 4 frames");
        starts.add(frame);
      }
    }
    assertTrue(starts.size() > 5, "no-op counts vary between resets: " + starts);
  }

  @Test
  void observationShapesAndBytes() throws Exception {
    record Case(ObservationFormat format, int[] shape) {}
    for (Case c : List.of(new Case(ObservationFormat.GRAY_84, new int[] {84, 84}),
        new Case(ObservationFormat.GRAY_FULL, new int[] {210, 160}),
        new Case(ObservationFormat.RGB_FULL, new int[] {210, 160, 3}))) {
      try (GameEnv env = open("pong", EnvConfig.newBuilder().setSeed(2)
          .setObservationFormat(c.format).build())) {
        assertArrayEquals(c.shape, env.spec().getObservation().getShapeList().stream()
            .mapToInt(Integer::intValue).toArray(), c.format.toString());
        assertEquals(DataType.UINT8, env.spec().getObservation().getDataType());
        byte[] pixels = env.reset(OptionalLong.empty()).getObservation().getData().toByteArray();
        int length = 1;
        for (int d : c.shape) {
          length *= d;
        }
        assertEquals(length, pixels.length, c.format.toString());
        Set<Byte> distinct = new HashSet<>();
        for (byte b : pixels) {
          distinct.add(b);
        }
        assertTrue(distinct.size() >= 3, "a real screen has several shades: " + c.format);
      }
    }
  }

  @Test
  void gray84IsTheAreaResizeOfTheGrayScreen() throws Exception {
    EnvConfig noPool = EnvConfig.newBuilder().setSeed(2).setMaxPool(false).build();
    try (GameEnv full = open("pong", noPool.toBuilder().setObservationFormat(ObservationFormat.GRAY_FULL).build());
        GameEnv small = open("pong", noPool)) {
      byte[] screen = full.reset(OptionalLong.empty()).getObservation().getData().toByteArray();
      byte[] expected = new byte[84 * 84];
      new ma3c.env.preprocess.AreaResize(210, 160, 84, 84).apply(screen, expected);
      assertArrayEquals(expected, small.reset(OptionalLong.empty()).getObservation().getData().toByteArray());
    }
  }

  @Test
  void actionSetsAndMeanings() throws Exception {
    try (GameEnv minimal = open("pong", EnvConfig.getDefaultInstance());
        GameEnv full = open("pong", EnvConfig.newBuilder().setActionSet(ActionSet.FULL).build())) {
      assertEquals(List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"),
          minimal.spec().getActionMeaningsList());
      assertEquals(18, full.spec().getActionCount());
      assertTrue(minimal.spec().getConfig().hasSeed(), "the server picks and reports a seed");
      assertEquals(4, minimal.spec().getConfig().getFrameSkip());
      assertEquals(0.25f, minimal.spec().getConfig().getRepeatActionProbability());
      assertEquals(108_000, minimal.spec().getConfig().getMaxEpisodeFrames());
    }
  }
}
