package ma3c.env.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import ma3c.env.ale.AtariActions;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.ObservationFormat;
import ma3c.env.v1.StepResponse;
import org.junit.jupiter.api.Test;

class CatchEnvTest {
  private static CatchEnv open(long seed) throws EnvException {
    return new CatchEnv(EnvConfigs.resolve(EnvConfig.newBuilder().setSeed(seed).build()));
  }

  /** Mean return over episodes of a policy of (ball column, paddle column) read off the pixels. */
  private static double meanReturn(CatchEnv env, IntBinaryOperator policy, int episodes) throws Exception {
    double total = 0;
    for (int e = 0; e < episodes; e++) {
      byte[] frame = env.reset(OptionalLong.empty()).getObservation().getData().toByteArray();
      StepResponse step;
      do {
        step = env.step(policy.applyAsInt(column(frame, (byte) 255), column(frame, (byte) 160)));
        frame = step.getObservation().getData().toByteArray();
        total += step.getReward();
      } while (step.getState() == EpisodeState.RUNNING);
      assertEquals(11, step.getInfo().getEpisodeLength());
    }
    return total / episodes;
  }

  /** Mean pixel column of a value, in cells. */
  private static int column(byte[] frame, byte value) {
    long sum = 0;
    int n = 0;
    for (int i = 0; i < frame.length; i++) {
      if (frame[i] == value) {
        sum += i % 84;
        n++;
      }
    }
    return (int) (sum / n / 7);
  }

  @Test
  void followingTheBallAlwaysCatchesItAndRandomPlayMostlyMisses() throws Exception {
    try (CatchEnv env = open(1)) {
      assertEquals(1.0, meanReturn(env, (ball, paddle) -> ball < paddle ? 1 : ball > paddle ? 2 : 0, 200));
      SplittableRandom random = new SplittableRandom(2);
      double randomReturn = meanReturn(env, (ball, paddle) -> random.nextInt(3), 2000);
      assertTrue(randomReturn < -0.2, "random play mostly misses: " + randomReturn);
    }
  }

  @Test
  void theFullActionSetIsAlesEighteenAndMovesByName() throws Exception {
    EnvConfig full = EnvConfig.newBuilder().setSeed(3).setActionSet(ActionSet.FULL).build();
    try (CatchEnv env = new CatchEnv(EnvConfigs.resolve(full))) {
      assertEquals(AtariActions.MEANINGS, env.spec().getActionMeaningsList());
      assertEquals(18, env.spec().getActionCount());
      int left = AtariActions.MEANINGS.indexOf("UPLEFTFIRE");
      int right = AtariActions.MEANINGS.indexOf("DOWNRIGHT");
      int stay = AtariActions.MEANINGS.indexOf("FIRE");
      assertEquals(1.0, meanReturn(env, (ball, paddle) -> ball < paddle ? left : ball > paddle ? right : stay,
          100));
      env.reset(OptionalLong.empty());
      EnvException bad = assertThrows(EnvException.class, () -> env.step(18));
      assertTrue(bad.getMessage().contains("[0, 18)"), bad.getMessage());
    }
  }

  @Test
  void seedsReplayAndErrorsFollowTheContract() throws Exception {
    try (CatchEnv a = open(5); CatchEnv b = open(5)) {
      assertThrows(EnvException.class, () -> a.step(0), "step before reset");
      for (int i = 0; i < 20; i++) {
        assertEquals(a.reset(OptionalLong.empty()), b.reset(OptionalLong.empty()));
      }
      EnvException bad = assertThrows(EnvException.class, () -> a.step(3));
      assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, bad.code());
    }
    EnvException rgb = assertThrows(EnvException.class, () -> new CatchEnv(EnvConfigs.resolve(
        EnvConfig.newBuilder().setObservationFormat(ObservationFormat.RGB_FULL).build())));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, rgb.code());
  }
}
